// Process identity that survives pid reuse: pid + start time. Used to tell a live job owner from a dead one
// and to end only the Gmsh processes we started.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Start time of a process as an opaque, comparable string; null when the process does not exist. */
export function processStartTime(pid: number): string | null {
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Field 22 (starttime) counted after the ")" that ends the command name, which may contain spaces.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] === 'Z' || rest[0] === 'X') return null;
      return rest[19] ?? null;
    } catch {
      return null;
    }
  }
  if (!isAlive(pid)) return null;
  try {
    const out =
      process.platform === 'win32'
        ? execFileSync('powershell', ['-NoProfile', '-Command', `(Get-Process -Id ${pid}).StartTime.Ticks`], {
            encoding: 'utf8',
            windowsHide: true,
          })
        : execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' });
    return out.trim() || null;
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    // A zombie (exited, not yet reaped, e.g. orphaned under a container's pid 1) is not alive.
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      return state !== 'Z' && state !== 'X';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when `pid` is still the very process that started at `startTime`. */
export function isSameProcess(pid: number, startTime: string | null): boolean {
  const now = processStartTime(pid);
  return now !== null && (startTime === null || now === startTime);
}

/** Ends a process and its group (Gmsh is spawned as a group leader on POSIX; taskkill /T on Windows). */
export function killTree(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (process.platform === 'win32') {
    try {
      execFileSync('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' });
    } catch {
      /* already gone */
    }
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}
