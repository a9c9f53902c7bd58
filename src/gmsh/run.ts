// Runs Gmsh as a child process from an argv array (never a shell), streams its lines, enforces a watchdog and a
// memory limit (memory.ts), and ends the whole process tree on cancel. On Linux the child also gets a parent-death
// signal, so a CLI killed with -9 leaves no Gmsh behind even before the next start's recovery runs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { errorMessage } from '../util/errors';
import { killTree, processStartTime } from '../util/proc';
import { parseGmshLine, type ParsedLine } from './log-parse';
import { gmshMemoryLimit, hitMemoryLimit, peakAddressSpace, withMemoryLimit } from './memory';

export interface GmshRunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  cwd?: string;
  onLine?: (line: ParsedLine) => void;
  /** Called once the process exists, so its identity can be stored before it finishes. */
  onSpawn?: (pid: number, startTime: string | null) => void;
}

export interface GmshRunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  /** The process could not be started (ENOENT, EACCES ...). */
  spawnError: string | null;
  lines: string[];
  wallMs: number;
  /** Wall seconds Gmsh reported per dimension (1, 2, 3). */
  dimSeconds: Record<number, number>;
  /** The address-space limit Gmsh ran under (null: none), and whether the run ended by reaching it. */
  memoryLimitBytes: number | null;
  memoryExceeded: boolean;
}

const PDEATHSIG = process.platform === 'linux' && existsSync('/usr/bin/setpriv') ? '/usr/bin/setpriv' : null;

export function runGmsh(argv: string[], opts: GmshRunOptions): Promise<GmshRunResult> {
  const exe = argv[0];
  const t0 = performance.now();
  const lines: string[] = [];
  const dimSeconds: Record<number, number> = {};
  let timedOut = false;
  let cancelled = false;
  let limit: number | null;
  try {
    limit = gmshMemoryLimit();
  } catch (e) {
    const spawnError = errorMessage(e); // a limit that is not one: said like a Gmsh that cannot start
    return Promise.resolve({
      exitCode: null,
      signal: null,
      timedOut,
      cancelled,
      spawnError,
      lines,
      wallMs: 0,
      dimSeconds,
      memoryLimitBytes: null,
      memoryExceeded: false,
    });
  }

  // setpriv and prlimit exec Gmsh in place: same pid, same argv for the user, plus "die with your parent" and the
  // address-space limit.
  const [cmd, ...cmdArgs] = withMemoryLimit(
    PDEATHSIG ? [PDEATHSIG, '--pdeathsig', 'KILL', '--', ...argv] : argv,
    limit,
  );
  const child = spawn(cmd, cmdArgs, {
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32', // own process group: one kill ends the tree
    windowsHide: true,
    shell: false,
  });

  // The address space, sampled: a C allocation refused by the limit can end Gmsh without a word.
  let peakBytes = 0;
  const sample = () => child.pid !== undefined && (peakBytes = Math.max(peakBytes, peakAddressSpace(child.pid)));
  const sampler = limit ? setInterval(sample, 250) : undefined;

  return new Promise((resolve, reject) => {
    let spawnError: string | null = null;
    // The caller's hooks run in stream and process events, outside any caller's try: one that throws (the job store
    // on a full disk) stops Gmsh and fails this run with its error, instead of ending the whole process.
    let hookError: unknown = null;
    const hook = (fn: () => void) => {
      if (hookError) return;
      try {
        fn();
      } catch (e) {
        hookError = e;
        stop();
      }
    };
    const onLine = (raw: string) => {
      const line = raw.replace(/\r$/, '');
      if (!line) return;
      lines.push(line);
      const parsed = parseGmshLine(line);
      if (parsed.done) dimSeconds[parsed.done.dim] = parsed.done.seconds;
      hook(() => opts.onLine?.(parsed));
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);

    const stop = () => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) killTree(child.pid);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, opts.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });

    child.once('spawn', () => {
      if (child.pid !== undefined) hook(() => opts.onSpawn?.(child.pid!, processStartTime(child.pid!)));
    });
    child.once('error', (e) => {
      spawnError = `${exe} could not be started: ${e.message}`;
    });
    child.once('close', (code, sig) => {
      clearTimeout(timer);
      clearInterval(sampler);
      opts.signal?.removeEventListener('abort', onAbort);
      if (hookError) return reject(hookError as Error);
      resolve({
        exitCode: code,
        signal: sig,
        timedOut,
        cancelled,
        spawnError,
        lines,
        wallMs: performance.now() - t0,
        dimSeconds,
        memoryLimitBytes: limit,
        memoryExceeded:
          !cancelled && !timedOut && hitMemoryLimit(limit, { lines, exitCode: code, signal: sig, peakBytes }),
      });
    });
  });
}
