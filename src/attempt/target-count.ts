// `--target-elements N`: estimate the size from the part's volume, mesh, and correct the size from the count reached.
// Three Gmsh runs of the same attempt: Gmsh's default size (to measure the volume), the estimate, the correction;
// a fourth (a secant step) only when the correction is still off by more than RETRY_PCT. The last run is the
// attempt's result; its argv and .geo replay it by hand.
import type { AttemptOutcome, AttemptSpec } from '../contract/attempt';
import type { TargetCount } from '../contract/job';
import { readMshFile } from '../mesh/msh-reader';
import { tetDet6 } from '../mesh/tet-volume';
import { gmshSizeMax } from '../sizing/size-max';
import { sizeForCount } from '../sizing/requested-size';

/** One correction: the count scales with size^-3. */
const correctedSize = (size: number, reached: number, target: number): number => size * Math.cbrt(reached / target);

/**
 * A coarse mesh is surface-dominated: its count scales with a smaller exponent than h^-3 (Angled.step near 10k
 * tets shows 1.4 to 2.7), so the h^-3 correction can miss. Past this deviation, one more run steps with the
 * exponent the part itself showed between the estimate and the correction.
 */
const RETRY_PCT = 10;

/** The exponent a secant step may use: below 1.5 a noisy pair of counts would throw the size far; above 3 is no mesh. */
const EXPONENT_RANGE = [1.5, 3] as const;

/**
 * Secant step in log-log space through two (size, count) runs: the local exponent k = -dln(count)/dln(h), bounded
 * to EXPONENT_RANGE (noisy or equal counts give the bound nearest their slope), then h = h2 * (n2/target)^(1/k).
 */
function secantSize(
  h1: number,
  n1: number,
  h2: number,
  n2: number,
  target: number,
): { size: number; exponent: number } {
  const raw = -Math.log(n2 / n1) / Math.log(h2 / h1);
  const [lo, hi] = EXPONENT_RANGE;
  const exponent = Number.isFinite(raw) ? Math.min(hi, Math.max(lo, raw)) : hi;
  return { size: h2 * Math.pow(n2 / target, 1 / exponent), exponent };
}

/** Volume of a mesh: the sum of its (corner) tets' volumes. */
function meshVolume(path: string): number {
  const m = readMshFile(path);
  const P = m.nodes;
  const T = m.tets;
  let v = 0;
  for (let t = 0; t < T.length / 4; t++) v += Math.abs(tetDet6(P, T, t)) / 6;
  return v;
}

export type PassRunner = (spec: AttemptSpec) => Promise<AttemptOutcome>;

/** Runs the passes; `runPass` is one plain attempt (Gmsh + reading + quality). */
export async function runToTarget(
  spec: AttemptSpec,
  runPass: PassRunner,
  log: (text: string) => void,
): Promise<AttemptOutcome> {
  const target = spec.sizing!.targetElements!;
  const { targetElements: _drop, ...plain } = spec.sizing!;
  const withSize = (size: number | null): AttemptSpec => ({
    ...spec,
    sizing: size === null ? plain : { ...plain, meshSize: size },
  });
  const passes: TargetCount['passes'] = [];
  const ms: Record<string, number> = {};
  const t0 = performance.now();

  const first = await runPass(withSize(null));
  if (first.status !== 'completed' || !first.mesh) return first;
  const volume = meshVolume(first.mesh.path);
  passes.push({ size: null, elements: first.elements?.tetrahedra ?? 0 });
  ms.targetVolume = first.timings.totalMs;

  // A --size-max the user gave stays a bound (the script takes the smaller of the two).
  const cap = (h: number) => gmshSizeMax({ ...plain, meshSize: h })!;
  const h1 = cap(sizeForCount(volume, target));
  log(`target ${target} tetrahedra: volume ${volume.toPrecision(6)}, estimated size ${h1.toPrecision(4)}`);
  const second = await runPass(withSize(h1));
  if (second.status !== 'completed' || !second.elements) return second;
  passes.push({ size: h1, elements: second.elements.tetrahedra });
  ms.targetEstimate = second.timings.totalMs;

  const h2 = cap(correctedSize(h1, second.elements.tetrahedra, target));
  log(
    `target ${target} tetrahedra: ${second.elements.tetrahedra} at size ${h1.toPrecision(4)}, corrected size ${h2.toPrecision(4)}`,
  );
  let last = await runPass(withSize(h2));
  if (last.elements) passes.push({ size: h2, elements: last.elements.tetrahedra });

  const n2 = last.elements?.tetrahedra ?? 0;
  if (last.status === 'completed' && n2 > 0 && h2 !== h1 && Math.abs(n2 / target - 1) * 100 > RETRY_PCT) {
    ms.targetCorrection = last.timings.totalMs;
    const step = secantSize(h1, second.elements.tetrahedra, h2, n2, target);
    const h3 = cap(step.size);
    log(
      `target ${target} tetrahedra: ${n2} at size ${h2.toPrecision(4)}, still off by more than ${RETRY_PCT} %; the part scales as h^-${step.exponent.toFixed(2)}, size ${h3.toPrecision(4)}`,
    );
    last = await runPass(withSize(h3));
    if (last.elements) passes.push({ size: h3, elements: last.elements.tetrahedra });
  }
  const reached = last.elements?.tetrahedra ?? 0;
  const targetCount: TargetCount = {
    target,
    reached,
    deviationPct: ((reached - target) / target) * 100,
    passes,
    volume,
  };
  if (last.status === 'completed')
    log(
      `target ${target} tetrahedra: reached ${reached} (${targetCount.deviationPct >= 0 ? '+' : ''}${targetCount.deviationPct.toFixed(1)} %) in ${passes.length} Gmsh runs`,
    );
  return {
    ...last,
    targetCount,
    seconds: (performance.now() - t0) / 1000,
    timings: { totalMs: Math.round((performance.now() - t0) * 10) / 10, phases: { ...last.timings.phases, ...ms } },
  };
}
