// Which offload path the shells use by default. Kept in one place so the CLI, Electron main and the web harness
// agree. (Wired to the Modal backend by the offload modules.)
import type { JobStore } from '../jobs/store';
import type { RemoteBackend } from './remote';

export function defaultRemote(_store: JobStore): RemoteBackend | null {
  return null;
}
