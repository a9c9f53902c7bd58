import { offloadPath } from '../compute/offload-path';
import { JobManager } from '../jobs/manager';

/** The CLI's job manager: the shared data folder, the default offload path. */
export const openManager = () => new JobManager({ remote: (store) => offloadPath(store) });
