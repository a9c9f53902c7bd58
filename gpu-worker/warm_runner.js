// A pre-started Node process for the attempt runner: Node's own start-up (40 ms idle, far more on a busy
// machine) is paid before the call arrives. It waits for one JSON line {runner, args} on stdin, then runs the
// engine's bundled runner exactly as `node attempt-runner.cjs ARGS...` would.
'use strict';
let buf = '';
process.stdin.setEncoding('utf8');
const onData = (chunk) => {
  buf += chunk;
  const nl = buf.indexOf('\n');
  if (nl < 0) return;
  process.stdin.off('data', onData);
  process.stdin.destroy();
  const { runner, args } = JSON.parse(buf.slice(0, nl));
  process.argv = [process.argv[0], runner, ...args];
  require(runner);
};
process.stdin.on('data', onData);
// Stdin closed without a request: the pool is shutting down.
process.stdin.on('end', () => {
  if (!buf.includes('\n')) process.exit(0);
});
