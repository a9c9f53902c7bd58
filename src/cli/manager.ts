import { defaultRemote } from '../compute/remote-default';
import { JobManager } from '../jobs/manager';

/** The CLI's job manager: the shared data folder, the default offload path. */
export const openManager = () => new JobManager({ remote: defaultRemote });
