// Stage 2 of a job: where its attempts run. The one local/Modal/fallback decision: `local` stays local; `modal` runs
// on Modal or fails (exit 4); `auto` runs on Modal unless it cannot, and then locally with the reason recorded, both
// before the run (src/compute/modal-usable.ts says whether Modal can take it) and during it (Modal or S3 failing).
import type { Backend, JobResult } from '../../contract/job';
import { BackendUnavailableError, type AttemptExecutor } from '../../compute/executor';
import type { RemoteBackend, RemoteOpening } from '../../compute/remote';
import { ConfigError } from '../../util/errors';

export interface BackendChoice {
  /** Modal's executor, or null: the job runs locally. */
  remote: AttemptExecutor | null;
  fallback: JobResult['fallback'];
}

const NO_OFFLOAD: RemoteOpening = {
  unusable: { reason: 'Modal offload is not configured in this build.', hint: 'Use --backend local.' },
};

/** The backend a job starts on. */
export async function chooseBackend(requested: Backend, remote: RemoteBackend | null): Promise<BackendChoice> {
  if (requested === 'local') return { remote: null, fallback: null };
  const opened = remote ? await remote.open(requested) : NO_OFFLOAD;
  if (!opened.unusable) return { remote: opened.executor, fallback: null };
  const { reason, hint } = opened.unusable;
  if (requested === 'modal') throw new ConfigError('modal-unavailable', reason, hint);
  return { remote: null, fallback: { from: 'modal', reason: hint ? `${reason} ${hint}` : reason } };
}

/**
 * The backend after Modal failed at run time (`e`): local under `auto`, with the reason; otherwise the failure is
 * the job's (rethrown, or exit 4 for an unusable backend). A transfer stopped by the cancel is the cancel.
 */
export function fallBackAfter(e: unknown, requested: Backend, signal: AbortSignal): BackendChoice {
  if (signal.aborted || !(e instanceof BackendUnavailableError)) throw e;
  if (requested !== 'auto') throw new ConfigError('modal-unavailable', e.message, e.hint);
  return { remote: null, fallback: { from: 'modal', reason: e.message } };
}
