// Builds the offload path the shells hand to the JobManager (CLI, Electron main, the web harness: one builder so
// they agree). The configuration is read afresh for each job, so a changed setting or environment applies to the
// next one. The Modal/S3 modules (and the AWS SDK behind them) load only when a job goes to Modal, so a local run
// never pays for them.
import { resolveOffloadConfig, type SecretsReader } from '../cloud/config';
import { breakerState, type BreakerStore } from './breaker';
import type { ModalExecutorOptions, RemoteStore } from './modal-executor';
import { modalUsable } from './modal-usable';
import type { RemoteBackend } from './remote';

export function offloadPath(
  store: RemoteStore & BreakerStore,
  opts: { env?: NodeJS.ProcessEnv; secrets?: SecretsReader | null; executor?: ModalExecutorOptions } = {},
): RemoteBackend {
  const config = () => resolveOffloadConfig({ env: opts.env, settings: store, secrets: opts.secrets });
  return {
    config,
    async open(requested) {
      const usable = modalUsable(requested, config(), () => breakerState(store));
      if (usable.unusable) return usable;
      const { ModalExecutor } = await import('./modal-executor');
      return { executor: new ModalExecutor(usable.settings, store, opts.executor) };
    },
  };
}
