// Cost of offloaded work: Modal bills worker seconds (T4 ≈ $0.000164/s); the system it replaces kept an EC2 GPU
// instance on around the clock. Both are reported so the migration's "≥ 40 % cheaper" criterion can be checked.
export const T4_USD_PER_SECOND = 0.000164;

export interface JobCost {
  workerSeconds: number;
  usd: number;
  /** What the same work costs on the always-on instance, billed by the hour for the job's share of it. */
  ec2BaselineUsd: number;
}

export function jobCost(workerSeconds: number, ec2UsdPerHour: number): JobCost {
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return { workerSeconds: Math.round(workerSeconds * 1000) / 1000, usd: round(workerSeconds * T4_USD_PER_SECOND), ec2BaselineUsd: round((workerSeconds / 3600) * ec2UsdPerHour) };
}

/**
 * Monthly comparison: Modal pays only for worker seconds, the always-on instance for 730 hours whatever the load.
 * Returns the saving as a fraction of the EC2 bill (≥ 0.4 meets the migration's criterion).
 */
export function monthlyComparison(jobsPerMonth: number, workerSecondsPerJob: number, ec2UsdPerHour: number) {
  const modalUsd = jobsPerMonth * workerSecondsPerJob * T4_USD_PER_SECOND;
  const ec2Usd = 730 * ec2UsdPerHour;
  return { modalUsd, ec2Usd, saving: ec2Usd > 0 ? 1 - modalUsd / ec2Usd : 0 };
}
