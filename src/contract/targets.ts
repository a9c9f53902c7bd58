// Whether a mesh meets its quality targets, and what it misses, in words: the one rule that the policy (which
// attempt is acceptable), the job's record (`JobResult.targets`, the learned order's wins) and the desktop's quality
// card all apply. A job that completes below its targets (the best valid mesh was kept) says so everywhere.
import type { JobResult, QualityReport, QualityTargets } from './job';

export interface TargetCheck {
  target: 'inverted' | 'sicnMin';
  met: boolean;
  /** What is missed, in words (empty when met). */
  missed: string;
}

/** Each target on its own: no inverted element, then SICN min at or above the target. */
export function checkTargets(quality: QualityReport, targets: QualityTargets): TargetCheck[] {
  const inv = quality.inverted;
  const sicn = quality.sicn.min;
  return [
    {
      target: 'inverted',
      met: inv === 0,
      missed: inv === 0 ? '' : `${inv} inverted element${inv === 1 ? '' : 's'}`,
    },
    {
      target: 'sicnMin',
      // A NaN minimum (no element measured) meets nothing.
      met: sicn >= targets.minSicn,
      missed: sicn >= targets.minSicn ? '' : `SICN min ${sicn.toFixed(3)} < ${targets.minSicn}`,
    },
  ];
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
  return { minSicn: targets.minSicn, met: missed.length === 0, missed };
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
