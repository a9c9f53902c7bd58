// Two jobs side by side: every metric with its difference in %, and a parity verdict on quality (within ±5 %,
// the migration plan's success criterion for the cloud path).
import type { CompareMetricRow, Comparison } from '../contract/api';
import { keptAttempt, type JobResult } from '../contract/job';

const PARITY_TOLERANCE_PCT = 5;

type Pick = (j: JobResult) => number | null | undefined;
const q =
  (f: (x: NonNullable<JobResult['quality']>) => number): Pick =>
  (j) =>
    j.quality ? f(j.quality) : null;

const QUALITY_ROWS: [string, Pick][] = [
  ['sicn.min', q((x) => x.sicn.min)],
  ['sicn.avg', q((x) => x.sicn.avg)],
  ['sicn.p10', q((x) => x.sicn.p10)],
  ['gamma.min', q((x) => x.gamma.min)],
  ['gamma.avg', q((x) => x.gamma.avg)],
  ['aspectRatio.avg', q((x) => x.aspectRatio.avg)],
  ['aspectRatio.max', q((x) => x.aspectRatio.max)],
  ['minDihedralDeg.min', q((x) => x.minDihedralDeg.min)],
  ['minDihedralDeg.avg', q((x) => x.minDihedralDeg.avg)],
  ['skewness.avg', q((x) => x.skewness.avg)],
  ['skewness.max', q((x) => x.skewness.max)],
];

const CURVED_ROWS: [string, Pick][] = [
  ['scaledJacobian.min', (j) => j.quality?.scaledJacobian?.min],
  ['scaledJacobian.avg', (j) => j.quality?.scaledJacobian?.avg],
];

const OTHER_ROWS: [string, Pick][] = [
  ['score', (j) => j.score],
  ['tetrahedra', (j) => j.mesh?.elements.tetrahedra],
  ['nodes', (j) => j.mesh?.nodes],
  ['inverted', q((x) => x.inverted)],
  ['time.totalMs', (j) => j.timings.totalMs],
  ['time.meshMs', (j) => j.timings.phases.mesh],
  ['transfer.uploadedBytes', (j) => j.transfer.uploadedBytes],
  ['cost.usd', (j) => j.cost?.usd],
];

function diffPct(a: number | null, b: number | null): number | null {
  if (a === null || b === null) return null;
  if (a === b) return 0;
  if (a === 0) return null;
  return ((b - a) / Math.abs(a)) * 100;
}

/** Gmsh's options of an attempt, without its executable, input script and output path (which differ per machine). */
const gmshOptions = (argv: string[]): string[] => argv.slice(2).filter((_, i, r) => r[i - 1] !== '-o');

/** HXT (Mesh.Algorithm3D 10) is not deterministic, even on one thread: two runs of it differ in their bytes. */
const usesHxt = (argv: string[]): boolean => argv.some((x, i) => x === 'Mesh.Algorithm3D' && argv[i + 1] === '10');

/** Why two meshes of one input by one Gmsh build need not be byte-identical, or null when they must be. */
function whyNotByteIdentical(a: JobResult, b: JobResult): string | null {
  const wa = keptAttempt(a);
  const wb = keptAttempt(b);
  if (!wa || !wb) return 'the winning attempt of one job is not on record';
  if (wa.strategy !== wb.strategy) return `different winning attempts (${wa.strategy} vs ${wb.strategy})`;
  const shaping = (j: JobResult) => {
    const { sizeFactor, elementOrder, sizing, units, groups } = j.settings;
    return JSON.stringify({ sizeFactor, elementOrder, sizing, units, groups });
  };
  if (shaping(a) !== shaping(b) || JSON.stringify(gmshOptions(wa.argv)) !== JSON.stringify(gmshOptions(wb.argv)))
    return `the winning ${wa.strategy} attempts ran with different settings`;
  if (usesHxt(wa.argv)) return `the winning attempt (${wa.strategy}) meshed with HXT, which is not deterministic`;
  return null;
}

export function compareJobs(a: JobResult, b: JobResult): Comparison {
  const row = ([metric, f]: [string, Pick]): CompareMetricRow => {
    const va = f(a) ?? null;
    const vb = f(b) ?? null;
    return { metric, a: va, b: vb, diffPct: diffPct(va, vb) };
  };
  // Quadratic meshes: the curved elements' scaled Jacobian joins the quality rows (and the parity verdict).
  const curved = a.quality?.scaledJacobian || b.quality?.scaledJacobian ? CURVED_ROWS : [];
  const quality = [...QUALITY_ROWS, ...curved].map(row);
  const rows = [...OTHER_ROWS.map(row), ...quality];
  const ga = a.mesh?.gmsh;
  const gb = b.mesh?.gmsh;
  const sameBuild = !!ga && !!gb && ga.version === gb.version && ga.build === gb.build && ga.build !== 'unknown';
  // Same input, same Gmsh build, the same deterministic command: the meshes must be byte-identical, so sha256 decides.
  const sameInput = a.input.sha256 === b.input.sha256;
  const notByBytes = sameBuild && sameInput ? whyNotByteIdentical(a, b) : null;
  if (sameBuild && sameInput && !notByBytes) {
    const same = a.mesh!.sha256 === b.mesh!.sha256;
    return {
      a,
      b,
      rows,
      parity: {
        ok: same,
        tolerancePct: PARITY_TOLERANCE_PCT,
        failing: same ? [] : ['mesh sha256'],
        method: 'sha256',
        why: `both meshed by Gmsh ${ga!.version} (${ga!.build}) with the same command: compared by sha256, ${same ? 'identical' : 'different'}`,
      },
    };
  }
  const failing =
    !a.quality || !b.quality
      ? ['quality (one job has no mesh)']
      : quality
          .filter((r) => (r.diffPct === null ? r.a !== r.b : Math.abs(r.diffPct) > PARITY_TOLERANCE_PCT))
          .map((r) => r.metric);
  const builds =
    ga && gb
      ? `different Gmsh builds (${ga.version} ${ga.build} vs ${gb.version} ${gb.build})`
      : 'the Gmsh build of one side is not known';
  return {
    a,
    b,
    rows,
    parity: {
      ok: failing.length === 0,
      tolerancePct: PARITY_TOLERANCE_PCT,
      failing,
      method: 'quality',
      why: `${sameInput ? (notByBytes ?? builds) : 'different inputs'}: compared by quality within ±${PARITY_TOLERANCE_PCT} %`,
    },
  };
}
