// The compute switch: which backend a job runs on. `local` is local; `modal` is Modal (failing with exit 4 when it
// cannot be used); `auto` is Modal unless offloading is unconfigured or the circuit breaker is open, and falls back
// to local (with the reason recorded) when Modal or S3 fail at run time.
import type { Backend, ResolvedBackend } from '../contract/job';
import type { BreakerState } from '../contract/api';
import { missingHint, resolveOffloadConfig, type OffloadConfig, type SecretsReader } from '../cloud/config';
import { breakerState, type BreakerStore } from './breaker';
import { BackendUnavailableError, type AttemptExecutor } from './executor';
import { ModalExecutor, type ModalExecutorOptions, type RemoteStore } from './modal-executor';
import type { RemoteBackend } from './remote';

export function resolveBackend(
  requested: Backend,
  config: OffloadConfig,
  breaker: BreakerState,
): { backend: ResolvedBackend; forcedLocalReason?: string } {
  if (requested === 'local') return { backend: 'local' };
  if (config.missing.length) {
    const reason = `Modal offload is not configured: ${config.missing.join(', ')} missing. ${missingHint(config)}`;
    return requested === 'modal'
      ? { backend: 'modal', forcedLocalReason: reason }
      : { backend: 'local', forcedLocalReason: reason };
  }
  if (requested === 'auto' && breaker.open) {
    return {
      backend: 'local',
      forcedLocalReason: `The offload circuit breaker is open since ${breaker.since}: ${breaker.reason}. Reset it with \`meshbench doctor --reset-breaker\` (or in Settings) once Modal/S3 are healthy.`,
    };
  }
  return { backend: 'modal' };
}

function createExecutorFor(
  backend: 'modal',
  config: OffloadConfig,
  store: RemoteStore | null,
  opts?: ModalExecutorOptions,
): AttemptExecutor {
  if (backend !== 'modal') throw new Error(`createExecutorFor: unknown remote backend ${backend}`);
  if (config.missing.length)
    throw new BackendUnavailableError(
      `Modal offload is not configured: ${config.missing.join(', ')} missing.`,
      missingHint(config),
    );
  return new ModalExecutor(config, store, opts);
}

/**
 * The RemoteBackend the job runner uses (src/compute/remote.ts), reading the configuration afresh per job so a
 * changed setting or environment applies to the next job.
 */
export function createRemoteBackend(
  store: RemoteStore & BreakerStore,
  opts: { env?: NodeJS.ProcessEnv; secrets?: SecretsReader | null; executor?: ModalExecutorOptions } = {},
): RemoteBackend {
  const config = () => resolveOffloadConfig({ env: opts.env, settings: store, secrets: opts.secrets });
  return {
    async resolve(requested: Backend) {
      return resolveBackend(requested, config(), breakerState(store));
    },
    create() {
      return createExecutorFor('modal', config(), store, opts.executor);
    },
    // Remote events are recorded per call and per transfer by the executor; nothing more to count per job.
    onJobDone() {},
  };
}
