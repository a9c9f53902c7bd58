// The attempt runner shipped to the Modal worker (out/engine/attempt-runner.cjs): the same runAttempt as the
// desktop, driven by a spec file, reporting JSON lines on stdout (log, progress, then one result).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AttemptRunnerMessage, AttemptSpec } from '../contract/attempt';
import { findGmsh } from '../gmsh/locate';
import { errorMessage } from '../util/errors';
import { runAttempt } from './run-attempt';

const emit = (m: AttemptRunnerMessage) => process.stdout.write(`${JSON.stringify(m)}\n`);

async function main() {
  const { values } = parseArgs({
    options: { spec: { type: 'string' }, input: { type: 'string' }, workdir: { type: 'string' } },
  });
  if (!values.spec || !values.input || !values.workdir) {
    process.stderr.write('usage: attempt-runner --spec SPEC.json --input FILE --workdir DIR\n');
    process.exit(1);
  }
  const spec = JSON.parse(readFileSync(values.spec, 'utf8')) as AttemptSpec;
  const [input, workdir] = [resolve(values.input), resolve(values.workdir)];
  const ac = new AbortController();
  for (const s of ['SIGTERM', 'SIGINT'] as const) process.on(s, () => ac.abort());
  let lastPct = -1;
  const outcome = await runAttempt(spec, input, workdir, {
    gmshPath: findGmsh().path,
    signal: ac.signal,
    analyzeInThread: true, // shipped alone to the worker image: no mesh-worker.cjs beside it
    privateDirs: [dirname(input)], // the worker's temp folder holds the downloaded input
    onLog: (level, text) => emit({ type: 'log', level, text, ts: Date.now() }),
    onProgress: (percent) => {
      if (percent !== lastPct) emit({ type: 'progress', percent: (lastPct = percent) });
    },
  });
  emit({ type: 'result', outcome });
}

main().catch((e) => {
  process.stderr.write(`attempt-runner: ${errorMessage(e)}\n`);
  process.exit(1);
});
