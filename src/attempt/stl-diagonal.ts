// The STL route sizes its classified geometry from the part's extent.
import { readFileSync } from 'node:fs';

/** Diagonal of an STL's bounding box (ASCII or binary), to size the classified geometry. */
export function stlDiagonal(path: string, binary: boolean): number {
  const buf = readFileSync(path);
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  const add = (x: number, y: number, z: number) => {
    const p = [x, y, z];
    for (let i = 0; i < 3; i++) {
      if (p[i] < min[i]) min[i] = p[i];
      if (p[i] > max[i]) max[i] = p[i];
    }
  };
  if (binary) {
    const n = buf.readUInt32LE(80);
    for (let f = 0; f < n; f++) {
      const o = 84 + 50 * f + 12;
      for (let v = 0; v < 3; v++)
        add(buf.readFloatLE(o + 12 * v), buf.readFloatLE(o + 12 * v + 4), buf.readFloatLE(o + 12 * v + 8));
    }
  } else {
    for (const m of buf.toString('latin1').matchAll(/vertex\s+(\S+)\s+(\S+)\s+(\S+)/g))
      add(Number(m[1]), Number(m[2]), Number(m[3]));
  }
  const d = Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  return Number.isFinite(d) && d > 0 ? d : 1;
}
