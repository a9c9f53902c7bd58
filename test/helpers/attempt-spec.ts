// One attempt of the default strategy on a STEP part, as the engine plans it; tests change only what they exercise.
import type { AttemptSpec } from '../../src/contract/attempt';

export const attemptSpec = (patch: Partial<AttemptSpec> = {}): AttemptSpec => ({
  jobId: 'j',
  index: 0,
  strategy: 'default',
  inputFormat: 'step',
  sizeFactor: 1,
  elementOrder: 1,
  timeoutSec: 120,
  ...patch,
});
