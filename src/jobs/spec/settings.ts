// Job settings as callers build them: defaults plus what they change.
import { DEFAULT_SETTINGS, type MeshSettings } from '../../contract/job';

export function settingsWith(patch: Partial<MeshSettings>): MeshSettings {
  return { ...DEFAULT_SETTINGS, ...patch, targets: { ...DEFAULT_SETTINGS.targets, ...(patch.targets ?? {}) } };
}
