// Whether a job's mesh meets its quality targets, and which ones it misses, in words. A job that completes below
// its targets (the best valid mesh was kept) must say so, in the JSON, the CLI summary and the desktop.
import type { JobResult, QualityReport, QualityTargets } from './job';

export function targetsOf(
  quality: QualityReport | null,
  targets: QualityTargets,
): NonNullable<JobResult['targets']> | null {
  if (!quality) return null;
  const missed: string[] = [];
  if (quality.inverted > 0) missed.push(`${quality.inverted} inverted element${quality.inverted === 1 ? '' : 's'}`);
  if (!(quality.sicn.min >= targets.minSicn))
    missed.push(`SICN min ${quality.sicn.min.toFixed(3)} < ${targets.minSicn}`);
  return { minSicn: targets.minSicn, met: missed.length === 0, missed };
}
