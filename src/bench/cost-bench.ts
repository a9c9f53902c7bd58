// The plan's "at least 40 % cheaper than a 24/7 EC2 box", answered with a figure: monthly cost at N jobs per day
// and the break-even N, for a T4 function and a CPU-only one, from a measured job (its worker seconds per call and
// calls per job) at Modal's published rates (src/cloud/cost.ts).
import {
  breakEvenJobsPerDay,
  DEFAULT_EC2_BASELINE_USD_PER_HOUR,
  monthlyCost,
  type FunctionSize,
  type JobProfile,
} from '../cloud/cost';
import type { BenchRow } from './measure';

/** Modal's container start-up for the worker image is not measurable on the stand-in (no cold start there). */
export const ASSUMED_COLD_START_S = 10;

export function costRows(
  job: JobProfile,
  o: { ec2UsdPerHour?: number; measuredStartupS?: number; cpu?: number; memoryMiB?: number } = {},
): BenchRow[] {
  const ec2 = o.ec2UsdPerHour ?? DEFAULT_EC2_BASELINE_USD_PER_HOUR;
  const base = { cpu: o.cpu ?? 1, memoryMiB: o.memoryMiB ?? 2048, scaledownS: 60 };
  const usd = (x: number) => `$${x < 10 ? x.toFixed(2) : x.toFixed(0)}`;
  const rows: BenchRow[] = [];
  for (const gpu of ['T4', null] as const) {
    const size: FunctionSize = { gpu, ...base };
    const at = (n: number) => monthlyCost(n, job, size, ec2);
    const n40 = breakEvenJobsPerDay(job, size, ec2, 0.4);
    const n0 = breakEvenJobsPerDay(job, size, ec2, 0);
    const m = at(100);
    rows.push({
      name: `(o6${gpu ? 'a' : 'b'}) monthly cost at 100 jobs/day, ${gpu ?? 'CPU-only'} function vs 24/7 EC2`,
      ours: m.modalUsd,
      peer: m.ec2Usd,
      unit: 'USD/month',
      ratio: m.modalUsd / m.ec2Usd,
      ratioLabel: 'modal / ec2',
      goal: '<= 0.6 (>= 40 % cheaper)',
      met: m.saving >= 0.4,
      note:
        `${[10, 100, 1000, 5000].map((n) => `${n}/day ${usd(at(n).modalUsd)}`).join(', ')} vs EC2 ${usd(m.ec2Usd)} (g4dn.xlarge at $${ec2}/h, 730 h); ` +
        `>= 40 % cheaper up to ${n40} jobs/day, break-even at ${n0} jobs/day; job: ${job.calls} call(s) of ${job.runS.toFixed(1)} s worker time (measured), ` +
        `${job.startupS} s start-up (${o.measuredStartupS != null ? `measured queue ${o.measuredStartupS.toFixed(1)} s on the stand-in, which has no cold start; ` : ''}assumed), 60 s idle before scale-down, ${base.cpu} core, ${base.memoryMiB} MiB`,
    });
  }
  return rows;
}
