// A desktop-side process for the kill -9 tests: submits one offloaded job and runs it, printing the job id.
// Bundled by the test with esbuild and started with node, so it can be killed like the real CLI.
import { createRemoteBackend } from '../../../src/compute/select';
import { DEFAULT_SETTINGS } from '../../../src/contract/job';
import { JobManager } from '../../../src/jobs/manager';

const [home, input, sizeFactor] = process.argv.slice(2);
const m = new JobManager({ home, remote: (store) => createRemoteBackend(store) });
const id = m.submit({ inputPath: input, backend: 'modal', settings: { ...DEFAULT_SETTINGS, strategy: 'default', sizeFactor: Number(sizeFactor || 1) } });
process.stdout.write(`${id}\n`);
m.wait(id).then((j) => {
  process.stdout.write(`${j.status}\n`);
  return m.close();
});
