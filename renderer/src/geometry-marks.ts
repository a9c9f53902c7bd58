// What a missed job's geometry report marks in the viewer, in orange: its narrow faces coloured and their skin nodes
// drawn as points (a strip 1/50 of an element wide is a hairline on screen), its cusps' vertices and tiny curves as
// points (a cusp's face is often the part's largest: colouring it would not show where the corner is).
import type { MeshPayload } from '../../src/contract/api';
import { UNIT_SCALE, type JobResult } from '../../src/contract/job';
import { GEOMETRY_COLOUR } from './viewer/scene';
import { meshUnit } from './units';

/** Points drawn for the narrow faces at most (their skin nodes). */
const MAX_FACE_POINTS = 20_000;

export function geometryMarks(
  job: JobResult,
  mesh: Pick<MeshPayload, 'nodes' | 'skin' | 'skinFaces'>,
): { faces: [number, typeof GEOMETRY_COLOUR][]; points: [number, number, number][] } {
  const causes = job.geometry?.causes ?? [];
  const narrow = new Set(causes.filter((c) => c.kind === 'narrow-face').flatMap((c) => c.faces));
  // the report is in the part's millimetres; the mesh in the job's unit
  const k = UNIT_SCALE[meshUnit(job)];
  const points = causes
    .filter((c) => c.kind !== 'narrow-face')
    .map((c): [number, number, number] => [
      ((c.box[0] + c.box[3]) / 2) * k,
      ((c.box[1] + c.box[4]) / 2) * k,
      ((c.box[2] + c.box[5]) / 2) * k,
    ]);
  const seen = new Set<number>();
  const F = mesh.skinFaces;
  if (F && narrow.size)
    for (let t = 0; t < F.length && seen.size < MAX_FACE_POINTS; t++) {
      if (!narrow.has(F[t])) continue;
      for (let j = 0; j < 3; j++) {
        const n = mesh.skin[3 * t + j];
        if (seen.has(n)) continue;
        seen.add(n);
        points.push([mesh.nodes[3 * n], mesh.nodes[3 * n + 1], mesh.nodes[3 * n + 2]]);
      }
    }
  return { faces: [...narrow].map((f) => [f, GEOMETRY_COLOUR]), points };
}
