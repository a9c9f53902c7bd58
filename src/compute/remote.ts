// The seam between the job runner and the offload path (issue 3). `resolve` turns the requested backend into
// the one to use (auto -> modal unless unconfigured or the circuit breaker is open), `create` builds the Modal
// executor. The offload modules (src/compute/select.ts, src/compute/modal-executor.ts) implement it.
import type { Backend, ResolvedBackend } from '../contract/job';
import type { AttemptExecutor } from './executor';

export interface RemoteBackend {
  resolve(requested: Backend): Promise<{ backend: ResolvedBackend; forcedLocalReason?: string }>;
  create(): AttemptExecutor;
  /** Called with every remote job's end, for the breaker and cost. */
  onJobDone?(ok: boolean): void;
}
