import { offloadPath } from '../compute/offload-path';
import { JobManager } from '../jobs/manager';
import { healLine } from '../jobs/store/heal';
import { say } from './io';

/**
 * The CLI's job manager: the shared data folder, the default offload path. A store that had to be healed on the way
 * is said in one line (doctor reports it in full); `checkWholeStore` checks every table first (doctor).
 */
export function openManager(o: { checkWholeStore?: boolean } = {}): JobManager {
  const m = new JobManager({ remote: (store) => offloadPath(store), checkWholeStore: o.checkWholeStore });
  if (m.healed) say(`meshbench: ${healLine(m.healed)}`);
  return m;
}
