// Stage 2 of a job: where its attempts run. The one local/Modal/fallback decision: `local` stays local; `modal` runs
// on Modal or fails (exit 4); `auto` runs on Modal unless it cannot, and then locally with the reason recorded, both
// before the run (unconfigured, breaker open) and during it (Modal or S3 failing).
import type { Backend, JobResult, ResolvedBackend } from '../../contract/job';
import { BackendUnavailableError } from '../../compute/executor';
import type { RemoteBackend } from '../../compute/remote';
import { ConfigError } from '../../util/errors';

export interface BackendChoice {
  backend: ResolvedBackend;
  fallback: JobResult['fallback'];
}

/** The backend a job starts on. */
export async function chooseBackend(requested: Backend, remote: RemoteBackend | null): Promise<BackendChoice> {
  if (requested === 'local') return { backend: 'local', fallback: null };
  const r = remote
    ? await remote.resolve(requested)
    : { backend: 'local' as const, forcedLocalReason: 'Modal offload is not configured in this build.' };
  if (!r.forcedLocalReason) return { backend: r.backend, fallback: null };
  if (requested === 'modal')
    throw new ConfigError(
      'modal-unavailable',
      r.forcedLocalReason,
      remote ? 'Fix the Modal/S3 settings (meshbench doctor) or use --backend local.' : 'Use --backend local.',
    );
  return { backend: 'local', fallback: { from: 'modal', reason: r.forcedLocalReason } };
}

/**
 * The backend after Modal failed at run time (`e`): local under `auto`, with the reason; otherwise the failure is
 * the job's (rethrown, or exit 4 for an unusable backend). A transfer stopped by the cancel is the cancel.
 */
export function fallBackAfter(e: unknown, requested: Backend, signal: AbortSignal): BackendChoice {
  if (signal.aborted || !(e instanceof BackendUnavailableError)) throw e;
  if (requested !== 'auto') throw new ConfigError('modal-unavailable', e.message, e.hint);
  return { backend: 'local', fallback: { from: 'modal', reason: e.message } };
}
