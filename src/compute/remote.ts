// The seam between a job and the offload path (src/compute/offload-path.ts implements it). `config` is the one
// reading of the offload configuration (environment over saved settings) for jobs and the CLI; `open` reads it once
// for one job and either builds Modal's executor or says why Modal cannot take the job now.
import type { OffloadConfig } from '../cloud/config';
import type { AttemptExecutor } from './executor';
import type { Unusable } from './modal-usable';

export type RemoteOpening =
  { executor: AttemptExecutor; unusable?: undefined } | { unusable: Unusable; executor?: undefined };

export interface RemoteBackend {
  config(): OffloadConfig;
  open(requested: 'modal' | 'auto'): Promise<RemoteOpening>;
}
