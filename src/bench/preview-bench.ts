// Preview on open, locally vs through S3 and the worker, for small parts (where the instant look at a part should
// be made). The remote path's floor is measured for real on the loopback stand-in: hash the part, upload it (a part
// opened for the first time), presign, one round trip to the worker, the same Gmsh preview run, then the preview
// mesh up and back down (sha256 checked) and read. That is less than the remote path itself costs (no WAN latency,
// no container start, the worker's run taken as equal to ours), so if even the floor loses, the remote path does.
// Pairs alternate so load drift hits both sides.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { resolveOffloadConfig } from '../cloud/config';
import { startLocalCloud } from '../cloud/local-cloud';
import { ModalClient } from '../cloud/modal-client';
import { keys, S3Store } from '../cloud/s3';
import { previewPart } from '../preview/preview';
import { sha256File } from '../util/hash';
import { median, type BenchRow } from './measure';

export async function benchPreview(
  parts: string[],
  o: { repeats?: number; log?: (s: string) => void } = {},
): Promise<BenchRow[]> {
  const log = o.log ?? (() => {});
  const repeats = o.repeats ?? 5;
  const cloud = await startLocalCloud();
  const scratch = mkdtempSync(join(tmpdir(), 'meshbench-preview-bench-'));
  const s3 = new S3Store(resolveOffloadConfig({ env: cloud.env }).s3!);
  const client = new ModalClient({
    url: cloud.env.MESHBENCH_MODAL_URL,
    key: cloud.env.MODAL_KEY,
    secret: cloud.env.MODAL_SECRET,
  });
  const rows: BenchRow[] = [];
  try {
    for (const part of parts) {
      const local: number[] = [];
      const remote: number[] = [];
      for (let i = 0; i < repeats + 1; i++) {
        let t = performance.now();
        const p = await previewPart(part);
        const l = performance.now() - t;

        t = performance.now();
        const sha = await sha256File(part);
        const inKey = keys.output(`preview-bench-${process.pid}`, i, basename(part));
        await s3.putFile(inKey, part, sha);
        await s3.presignGet(inKey);
        await s3.presignPut(keys.output(`preview-bench-${process.pid}`, i, 'preview.msh'));
        await client.health();
        await previewPart(part); // the worker's run of the same Gmsh preview, taken as equal to ours
        const msh = join(scratch, `p${i}.msh`);
        writeFileSync(msh, Buffer.alloc(p.positions.byteLength + p.indices.byteLength)); // the preview mesh's size
        const up = await s3.putFile(keys.output(`preview-bench-${process.pid}`, i, 'preview.msh'), msh);
        await s3.getFile(up.key, `${msh}.back`, up.sha256);
        readFileSync(`${msh}.back`);
        const r = performance.now() - t;
        if (i > 0) {
          // the first pair warms Gmsh's caches and the connections
          local.push(l);
          remote.push(r);
        }
      }
      const ours = median(local);
      const peer = median(remote);
      log(`preview ${basename(part)}: local ${ours.toFixed(0)} ms, remote floor ${peer.toFixed(0)} ms`);
      rows.push({
        name: `(p) preview ${basename(part)}: local vs the remote path's floor`,
        ours,
        peer,
        unit: 'ms',
        ratio: peer / ours,
        ratioLabel: 'remote floor / local',
        goal: 'a remote path only if < 1',
        met: peer < ours,
        note: `median of ${repeats} alternating pairs on the loopback stand-in; the floor leaves out WAN round trips and the container start`,
      });
    }
  } finally {
    s3.client.destroy();
    await cloud.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}
