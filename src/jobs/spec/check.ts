// What a job request means, checked once for every shell (JobManager.submit: the CLI, the desktop, the harness)
// before anything is stored or run: a request that could only fail after meshing is refused at once (exit 2), in
// one line. Its shape was checked where it came in (the CLI's flags; src/workbench/validate.ts at the IPC/harness
// edge).
import { exportRefusal } from '../../contract/export-limits';
import type { JobSpec } from '../../contract/job';
import { checkSizing } from '../../sizing/resolve';
import { ConfigError, RequestRefusedError } from '../../util/errors';

export function checkRequest(spec: JobSpec): JobSpec {
  const { exports = [], elementOrder, layers = [] } = spec.settings;
  const refused = exports.map((f) => exportRefusal(f, elementOrder, layers.length > 0)).filter((r) => r !== null);
  if (refused.length)
    throw new RequestRefusedError('export-impossible', `${spec.inputPath}: nothing meshed: ${refused.join('; ')}.`);
  // Sizes out of range whatever the part (1e308, 1e-300, a growth of 0 ...); against the part's own size they are
  // checked once its model is read (src/jobs/pipeline/prepare.ts).
  try {
    if (spec.settings.sizing) checkSizing(spec.settings.sizing);
  } catch (e) {
    if (e instanceof ConfigError)
      throw new RequestRefusedError(e.code, `${spec.inputPath}: nothing meshed: ${e.message}`);
    throw e;
  }
  return spec;
}
