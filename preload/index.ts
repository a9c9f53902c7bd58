// Preload: exposes the WorkbenchApi through contextBridge (filled in by the desktop issue).
export {};
