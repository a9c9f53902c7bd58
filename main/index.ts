// Electron main process (filled in by the desktop issue).
import { app } from 'electron';

app.whenReady().then(() => undefined);
