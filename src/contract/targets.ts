// Whether a mesh meets its quality targets, and what it misses, in words: the one rule that the policy (which
// attempt is acceptable), the job's record (`JobResult.targets`, the learned order's wins) and the desktop's quality
// card all apply. A job that completes below its targets (the best valid mesh was kept) says so everywhere.
import type { JobResult, QualityReport, QualityTargets } from './job';

export interface TargetCheck {
  target: 'inverted' | 'sicnMin' | 'minDihedral' | 'maxAspect';
  met: boolean;
  /** What is missed, in words (empty when met). */
  missed: string;
  /**
   * How far the worst element is from this target, relative to the target: 0 when met, up to 1 (SICN 0, a 0°
   * dihedral angle, an unbounded aspect ratio). The ranking of meshes that miss (`compareByTargets`).
   */
  shortfall: number;
}

const check = (target: TargetCheck['target'], met: boolean, missed: () => string, shortfall: () => number) =>
  met ? { target, met, missed: '', shortfall: 0 } : { target, met, missed: missed(), shortfall: shortfall() };
const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 1);

/**
 * Each target on its own: no inverted element, SICN min at or above its target, and, when set, the minimum dihedral
 * angle at or above `minDihedral` degrees and the maximum aspect ratio at or below `maxAspect`.
 */
export function checkTargets(quality: QualityReport, targets: QualityTargets): TargetCheck[] {
  const inv = quality.inverted;
  const sicn = quality.sicn.min;
  const checks = [
    check(
      'inverted',
      inv === 0,
      () => `${inv} inverted element${inv === 1 ? '' : 's'}`,
      () => 1,
    ),
    // A NaN minimum (no element measured) meets nothing.
    check(
      'sicnMin',
      sicn >= targets.minSicn,
      () => `SICN min ${sicn.toFixed(3)} < ${targets.minSicn}`,
      () => clamp01((targets.minSicn - sicn) / targets.minSicn),
    ),
  ];
  const { minDihedral, maxAspect } = targets;
  if (minDihedral != null) {
    const deg = quality.minDihedralDeg.min;
    checks.push(
      check(
        'minDihedral',
        deg >= minDihedral,
        () => `min dihedral angle ${deg.toFixed(2)}° < ${minDihedral}°`,
        () => clamp01((minDihedral - deg) / minDihedral),
      ),
    );
  }
  if (maxAspect != null) {
    const ar = quality.aspectRatio.max;
    checks.push(
      check(
        'maxAspect',
        ar <= maxAspect,
        () => `max aspect ratio ${ar.toFixed(1)} > ${maxAspect}`,
        () => clamp01(1 - maxAspect / ar),
      ),
    );
  }
  return checks;
}

/** Per-element measures, as the quality kernel gives them (one value per tetrahedron). */
interface ElementMeasures {
  sicn: ArrayLike<number>;
  minDihedralDeg: ArrayLike<number>;
  aspectRatio: ArrayLike<number>;
}

/**
 * Whether element `t` breaks a target: the element-wise form of `checkTargets`, which the repair refines around and
 * the geometry report explains (a value that is no number meets nothing).
 */
export const elementMissesTargets = (m: ElementMeasures, t: number, targets: QualityTargets): boolean =>
  !(m.sicn[t] >= targets.minSicn) ||
  (targets.minDihedral != null && !(m.minDihedralDeg[t] >= targets.minDihedral)) ||
  (targets.maxAspect != null && !(m.aspectRatio[t] <= targets.maxAspect));

/** The shortfalls, worst first: two meshes compare on their worst miss, then the next, and so on. */
const shortfalls = (quality: QualityReport, targets: QualityTargets) =>
  checkTargets(quality, targets)
    .map((c) => c.shortfall)
    .sort((a, b) => b - a);

/**
 * The order of valid meshes by the engineer's targets, worst element first: the one whose worst miss is smaller ranks
 * first (then the next worst miss). Negative when `a` is better, 0 when they miss alike (every mesh that meets all
 * targets ties; the score then decides). A mesh whose worst element is worse never wins on a better average.
 */
export function compareByTargets(a: QualityReport, b: QualityReport, targets: QualityTargets): number {
  const sa = shortfalls(a, targets);
  const sb = shortfalls(b, targets);
  for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sa[i] - sb[i];
  return 0;
}

/**
 * Whether a mesh made from another one (a repair round) is better than its parent: it misses the targets strictly
 * less (`compareByTargets`) and misses no target the parent met. Why not, in words, or null when it is.
 */
export function worseThanParent(child: QualityReport, parent: QualityReport, targets: QualityTargets): string | null {
  const mine = checkTargets(child, targets);
  const theirs = new Map(checkTargets(parent, targets).map((c) => [c.target, c]));
  const broken = mine.filter((c) => !c.met && theirs.get(c.target)?.met);
  if (broken.length) return `it breaks a target its parent met (${broken.map((c) => c.missed).join('; ')})`;
  if (compareByTargets(child, parent, targets) < 0) return null;
  return `its worst element is no better than its parent's (SICN min ${child.sicn.min.toFixed(4)} against ${parent.sicn.min.toFixed(4)})`;
}

export const meetsTargets = (quality: QualityReport, targets: QualityTargets): boolean =>
  checkTargets(quality, targets).every((c) => c.met);

/** A job's mesh against its targets, as `JobResult.targets` reports it; null without a mesh. */
export function targetsOf(
  quality: QualityReport | null,
  targets: QualityTargets,
): NonNullable<JobResult['targets']> | null {
  if (!quality) return null;
  const missed = checkTargets(quality, targets)
    .filter((c) => !c.met)
    .map((c) => c.missed);
  return { ...targets, met: missed.length === 0, missed };
}

/** A job that completed by keeping a mesh below its targets (`targets.met` false in its JSON). */
export const belowTarget = (j: Pick<JobResult, 'status' | 'targets'>): boolean =>
  j.status === 'completed' && j.targets?.met === false;

/**
 * A job's status as every view shows it (CLI table and details, job row badge, Compare): a completed job that kept a
 * mesh below its targets reads `below target`, never the plain `completed` of one that met them.
 */
export const shownStatus = (j: Pick<JobResult, 'status' | 'targets'>): string =>
  belowTarget(j) ? 'below target' : j.status;

/** The targets in words, as the summaries print them: "no inverted element, SICN min >= 0.1, min dihedral >= 10°". */
export function targetsText(t: QualityTargets): string {
  return [
    'no inverted element',
    `SICN min >= ${t.minSicn}`,
    ...(t.minDihedral != null ? [`min dihedral angle >= ${t.minDihedral}°`] : []),
    ...(t.maxAspect != null ? [`max aspect ratio <= ${t.maxAspect}`] : []),
  ].join(', ');
}

export type QualityMetric = Exclude<
  keyof QualityReport,
  'elements' | 'cornerNodesOnly' | 'inverted' | 'invertedCurved' | 'layers'
>;

/**
 * The job's target on a metric, for the mark on its histogram (desktop and `meshbench show`): `min` (acceptable at
 * or above) or `max`; null when the metric has no target. A new target (say a minimum dihedral angle) is one more
 * case here and in checkTargets.
 */
export function metricTarget(
  metric: QualityMetric,
  targets: QualityTargets,
): { value: number; kind: 'min' | 'max' } | null {
  if (metric === 'sicn') return { value: targets.minSicn, kind: 'min' };
  return null;
}
