// Room kept for the end of a job. A disk that fills up (Gmsh's meshes, another program) would leave the store unable
// to record why the job ended, and the job would read `interrupted` with no word of why. The data folder keeps 1 MiB
// in a file of its own; when the store cannot write a job's end for want of room, the file goes and the write is tried
// again. It is made again at the next start that finds room (doctor says when it is missing).
import { closeSync, existsSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const RESERVE_BYTES = 1 << 20;
const reserveFile = (home: string) => join(home, 'disk-reserve');

/** Makes the reserve when it is missing and the disk has room for it; never fails. */
export function keepReserve(home: string): void {
  const file = reserveFile(home);
  try {
    if (existsSync(file) && statSync(file).size === RESERVE_BYTES) return;
    const fd = openSync(file, 'w', 0o600);
    try {
      const zeros = Buffer.alloc(64 * 1024); // written, not sparse: the blocks must really be taken
      for (let off = 0; off < RESERVE_BYTES; off += zeros.length) writeSync(fd, zeros);
    } finally {
      closeSync(fd);
    }
  } catch {
    rmSync(file, { force: true }); // no room for it now: next time
  }
}

/** Frees the reserve; true when there was one to free. */
export function releaseReserve(home: string): boolean {
  const file = reserveFile(home);
  if (!existsSync(file)) return false;
  rmSync(file, { force: true });
  return true;
}

export const hasReserve = (home: string): boolean => existsSync(reserveFile(home));
