// Boundary layers on a finished attempt's mesh: read it whole, grow the layers (grow.ts), write the mixed mesh beside
// it (write-msh.ts) and say, per requested group, what was asked and what the mesh has.
import type { AttemptLayers } from '../contract/attempt';
import type { LayerResult, LayerSpot, LengthStats } from '../contract/job';
import { layerDistances, layerTotal } from '../contract/layers';
import { readMshFile } from '../mesh/msh-reader';
import { ConfigError } from '../util/errors';
import { growLayers, type LayerProfile, type StopReason, type WallNode } from './grow';
import { writeLayeredMsh } from './write-msh';

/** Checks a job's layer requests (the message names the flag); same count everywhere, sane numbers. */
export function checkLayerRequests(
  groups: readonly { target: string; count: number; first: number; growth: number }[],
) {
  const bad = (g: { target: string }, why: string): never => {
    throw new ConfigError('invalid-layers', `--layers ${g.target}: ${why}`);
  };
  for (const g of groups) {
    if (!(Number.isInteger(g.count) && g.count >= 1 && g.count <= 50))
      bad(g, 'COUNT must be a whole number from 1 to 50.');
    if (!(Number.isFinite(g.first) && g.first > 0)) bad(g, 'FIRST (the first layer height) must be a positive number.');
    if (!(Number.isFinite(g.growth) && g.growth >= 1 && g.growth <= 3))
      bad(g, 'GROWTH (each layer over the one before) must be from 1 to 3.');
  }
  const counts = [...new Set(groups.map((g) => g.count))];
  if (counts.length > 1)
    throw new ConfigError(
      'invalid-layers',
      `--layers: every group needs the same COUNT (a node shared by two groups carries one stack); got ${counts.join(' and ')}.`,
    );
}

const REASONS: Record<StopReason, (minSicn: number) => string> = {
  sharp: () => 'a sharp edge or corner: the layers cannot keep their height on every face around it',
  corner: () => 'a corner where several faces without layers meet',
  smooth: () => 'a face without layers goes on smoothly from the layered one: the layers end there',
  concave: () =>
    'a concave corner against a face without layers: that face does not go on where the layers would slide',
  interface: () =>
    'next to a face meshed on both sides (an interface between bodies): the layers cannot slide along it',
  tets: (s) =>
    `the tetrahedra beyond would fall below SICN ${s} (a thin wall or gap, or elements small for the thickness)`,
  fold: () => 'a layer element would fold (a concave corner or a tight curve)',
  taper: () => 'tapered beside a place where the layers thin out',
};

function lengthStats(values: number[]): LengthStats {
  if (!values.length) return { min: 0, mean: 0, max: 0 };
  let min = Infinity,
    max = -Infinity,
    sum = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, mean: sum / values.length, max };
}

const round = (v: number) => Number(v.toPrecision(6));

/** The report of one group from its wall nodes (lengths divided by `scale`: the mesh's units to the part's). */
function groupResult(
  g: AttemptLayers['groups'][number],
  nodes: WallNode[],
  scale: number,
  minSicn: number,
): LayerResult {
  const first = nodes.map((w) => w.first / scale);
  const total = nodes.map((w) => w.total / scale);
  const within = first.filter((h) => Math.abs(h - g.first) <= 0.2 * g.first).length;
  const bySpot = new Map<number, WallNode[]>();
  for (const w of nodes)
    if (w.spot !== null) {
      let list = bySpot.get(w.spot);
      if (!list) bySpot.set(w.spot, (list = []));
      list.push(w);
    }
  const spots: LayerSpot[] = [...bySpot.values()]
    .sort((a, b) => b.length - a.length || a[0].node - b[0].node)
    .slice(0, 20)
    .map((list) => {
      const tally = new Map<StopReason, number>();
      for (const w of list) if (w.reason && w.reason !== 'taper') tally.set(w.reason, (tally.get(w.reason) ?? 0) + 1);
      const top = [...tally].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'taper';
      const angles = list.filter((w) => w.reason === 'sharp' && w.angle).map((w) => w.angle!);
      const thinnest = list.reduce((a, b) => (b.factor < a.factor ? b : a));
      return {
        at: [thinnest.x, thinnest.y, thinnest.z].map((v) => round(v / scale)) as [number, number, number],
        faces: [...new Set(list.flatMap((w) => w.faces.filter((f) => g.faces.includes(f))))].sort((a, b) => a - b),
        nodes: list.length,
        stopped: list.filter((w) => w.factor === 0).length,
        minShare: round(Math.min(...list.map((w) => w.factor))),
        reason:
          REASONS[top](minSicn) +
          (top === 'sharp' && angles.length ? ` (up to ${Math.round(Math.max(...angles))}° off a face normal)` : ''),
      };
    });
  const f = lengthStats(first);
  const t = lengthStats(total);
  return {
    target: g.target,
    faces: g.faces,
    asked: { count: g.count, first: g.first, growth: g.growth, total: round(layerTotal(g.count, g.first, g.growth)) },
    measured: {
      count: nodes.some((w) => w.factor > 0) ? g.count : 0,
      first: { min: round(f.min), mean: round(f.mean), max: round(f.max) },
      total: { min: round(t.min), mean: round(t.mean), max: round(t.max) },
      firstWithin20Pct: nodes.length ? round(within / nodes.length) : 0,
    },
    wallNodes: nodes.length,
    shrunk: nodes.filter((w) => w.factor > 0 && w.factor < 1).length,
    stopped: nodes.filter((w) => w.factor === 0).length,
    spots,
  };
}

export interface Inflated {
  mesh: { path: string; bytes: number; sha256: string };
  layers: LayerResult[];
  rounds: number;
}

/**
 * Grows the layers of `spec` into the mesh at `inPath` and writes the result to `outPath`. `unitScale` turns the
 * part's units (the requests') into the mesh's (`--units`).
 */
export function inflateMesh(inPath: string, outPath: string, spec: AttemptLayers, unitScale: number): Inflated {
  checkLayerRequests(spec.groups);
  const mesh = readMshFile(inPath, undefined, { all: true });
  const present = new Set(mesh.triangleEntities);
  const faceProfile = new Map<number, number>();
  const profiles: LayerProfile[] = [];
  spec.groups.forEach((g, i) => {
    const missing = g.faces.filter((f) => !present.has(f));
    if (missing.length)
      throw new ConfigError(
        'invalid-layers',
        `--layers ${g.target}: the mesh has no face ${missing.join(', ')} (faces of a solid's boundary or of an interface).`,
      );
    for (const f of g.faces) {
      const other = faceProfile.get(f);
      if (other !== undefined && other !== i)
        throw new ConfigError(
          'invalid-layers',
          `--layers: face ${f} is in two groups (${spec.groups[other].target} and ${g.target}); give each face one request.`,
        );
      faceProfile.set(f, i);
    }
    profiles.push({ count: g.count, dists: layerDistances(g.count, g.first * unitScale, g.growth) });
  });
  const grown = growLayers(mesh, { profiles, faceProfile, minSicn: spec.minSicn });
  const written = writeLayeredMsh(outPath, mesh.all!, grown);
  const layers = spec.groups.map((g) =>
    groupResult(
      g,
      grown.wall.filter((w) => w.faces.some((f) => g.faces.includes(f))),
      unitScale,
      spec.minSicn,
    ),
  );
  return { mesh: { path: outPath, ...written }, layers, rounds: grown.rounds };
}
