// The Python that has Debian's python3-netgen: the system Python first (where Debian installs its python3-*
// packages, whatever PATH's python3 is), then `python3` on PATH. Asked once per process, without loading Netgen
// (the attempt's program says so if the package is there but cannot load).
import { execFile } from 'node:child_process';

const CANDIDATES = ['/usr/bin/python3', 'python3'];
const PROBE = 'import importlib.util as u, sys; sys.exit(0 if u.find_spec("netgen.NgOCC") else 1)';

let found: Promise<{ python: string } | { reason: string }> | undefined;

const has = (python: string) =>
  new Promise<boolean>((res) => execFile(python, ['-c', PROBE], { timeout: 30_000 }, (err) => res(!err)));

/** The Python to run Netgen with, or why there is none. */
export function findNetgenPython(): Promise<{ python: string } | { reason: string }> {
  found ??= (async () => {
    for (const python of CANDIDATES) if (await has(python)) return { python };
    return { reason: 'no Python here has python3-netgen (npm run setup installs it)' };
  })();
  return found;
}
