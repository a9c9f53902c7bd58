// Which offload path the shells use by default, in one place so the CLI, Electron main and the web harness agree.
// The Modal/S3 modules (and the AWS SDK behind them) load only when a job actually asks for modal or auto, so a
// local run never pays for them.
import type { Backend } from '../contract/job';
import type { BreakerStore } from './breaker';
import type { RemoteStore } from './modal-executor';
import type { RemoteBackend } from './remote';
import type { SecretsReader } from '../cloud/config';

export function defaultRemote(store: RemoteStore & BreakerStore, secrets: SecretsReader | null = null): RemoteBackend {
  let real: RemoteBackend | null = null;
  const get = (): RemoteBackend => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    real ??= (require('./select') as typeof import('./select')).createRemoteBackend(store, { secrets });
    return real;
  };
  return {
    resolve: (requested: Backend) =>
      requested === 'local' ? Promise.resolve({ backend: 'local' }) : get().resolve(requested),
    create: () => get().create(),
    onJobDone: (ok) => real?.onJobDone?.(ok),
  };
}
