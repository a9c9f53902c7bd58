// Gmsh's memory bound. Every Gmsh run gets an address-space limit (RLIMIT_AS, set by util-linux `prlimit` just before
// it execs Gmsh), so a part that needs more than the machine can give fails that run in words ("Gmsh needed more than
// N GB for this part") instead of swapping the machine to a halt or waking the kernel's OOM killer.
// The limit: MESHBENCH_GMSH_MEMORY_GB when set (a number of GB, or `off`), else 3/4 of this machine's memory (the
// lower of the physical memory and a cgroup limit, as in a container). It bounds each Gmsh process.
import { existsSync, readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { ConfigError } from '../util/errors';

export const MEMORY_ENV = 'MESHBENCH_GMSH_MEMORY_GB';
/** Share of the machine's memory one Gmsh may take by default: the rest keeps the desktop and the OS responsive. */
const DEFAULT_SHARE = 0.75;
/** Below this Gmsh cannot even map its shared libraries (about 200 MB of address space before it reads a file). */
const MIN_GB = 0.25;

const PRLIMIT = process.platform === 'linux' && existsSync('/usr/bin/prlimit') ? '/usr/bin/prlimit' : null;

/** The memory this process may use: physical memory, or a cgroup's limit when that is lower. */
export function machineMemoryBytes(): number {
  let bytes = totalmem();
  for (const f of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const v = Number(readFileSync(f, 'utf8').trim()); // "max" (no limit) reads as NaN
      if (Number.isFinite(v) && v > 0 && v < bytes) bytes = v;
    } catch {
      /* no such cgroup file here */
    }
  }
  return bytes;
}

/** Gmsh's address-space limit in bytes, or null when it is off (or the platform has no prlimit). */
export function gmshMemoryLimit(env: NodeJS.ProcessEnv = process.env): number | null {
  const raw = env[MEMORY_ENV]?.trim();
  if (raw === 'off') return null;
  let bytes = Math.floor(machineMemoryBytes() * DEFAULT_SHARE);
  if (raw) {
    const gb = Number(raw);
    if (!Number.isFinite(gb) || gb < MIN_GB)
      throw new ConfigError(
        'bad-memory-limit',
        `${MEMORY_ENV}=${raw} is not a memory size: give a number of GB (at least ${MIN_GB}) or "off".`,
      );
    bytes = Math.floor(gb * 2 ** 30);
  }
  return PRLIMIT ? bytes : null;
}

/** The command line that runs `argv` under the limit (prlimit execs it in place: same pid). */
export function withMemoryLimit(argv: string[], limitBytes: number | null): string[] {
  return PRLIMIT && limitBytes ? [PRLIMIT, `--as=${limitBytes}`, '--', ...argv] : argv;
}

const gb = (bytes: number) => {
  const v = bytes / 2 ** 30;
  return String(Number(v.toFixed(v < 1 ? 2 : v < 10 ? 1 : 0)));
};

/** The limit in words, for `meshbench doctor`: what it is and where it comes from. */
export function describeMemoryLimit(env: NodeJS.ProcessEnv = process.env): { ok: boolean; detail: string } {
  try {
    const limit = gmshMemoryLimit(env);
    const machine = `this machine's ${gb(machineMemoryBytes())} GB`;
    if (limit === null)
      return {
        ok: true,
        detail: PRLIMIT ? `off (${MEMORY_ENV}=off)` : 'none: this system has no prlimit (util-linux)',
      };
    const from = env[MEMORY_ENV]?.trim() ? `from ${MEMORY_ENV}` : `3/4 of ${machine}; ${MEMORY_ENV} to change`;
    return { ok: true, detail: `each Gmsh run may use ${gb(limit)} GB of address space (${from})` };
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  }
}

/** Is this attempt error the memory limit's? */
export const isMemoryExceeded = (error: string | null | undefined) => !!error?.startsWith('Gmsh needed more than');

/** The words for a run that hit the limit; `remedy` says what the engineer can do about it. */
export const memoryExceededMessage = (limitBytes: number, remedy = 'raise it on a machine with more memory') =>
  `Gmsh needed more than ${gb(limitBytes)} GB for this part and was stopped (the memory limit, ${MEMORY_ENV}: ${remedy}).`;

// What an allocation refused by the limit looks like in Gmsh's output: C++ (std::bad_alloc), OpenCASCADE
// (Standard_OutOfMemory), C code and the loader (ENOMEM's text).
const OUT_OF_MEMORY = /std::bad_alloc|Standard_OutOfMemory|out of memory|Cannot allocate memory|failed to map segment/i;

/**
 * Did this run end because it reached the limit? It failed and its output says so, or it died by a signal with its
 * address space near the limit (a C allocation that returned NULL ends in a segmentation fault, without a word).
 */
export function hitMemoryLimit(
  limitBytes: number | null,
  run: { lines: string[]; exitCode: number | null; signal: string | null; peakBytes: number },
): boolean {
  if (!limitBytes || (run.exitCode === 0 && !run.signal)) return false;
  if (run.lines.some((l) => OUT_OF_MEMORY.test(l))) return true;
  const abnormal = run.signal !== null || (run.exitCode !== null && run.exitCode > 128);
  return abnormal && run.peakBytes >= 0.9 * limitBytes;
}

/** The peak address space of a running process (VmPeak), 0 when it cannot be read. */
export function peakAddressSpace(pid: number): number {
  try {
    const m = /^VmPeak:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
