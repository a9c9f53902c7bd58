// What offloaded work costs, as Modal bills it: every second a container is up (start-up, the calls it runs,
// failed and retried ones included, and the idle window until it scales down), at the published per-second rates
// of what the function reserves: its GPU, its CPU cores and its memory. The system it replaces kept an EC2 GPU
// instance on around the clock; both are reported so the "at least 40 % cheaper" goal can be checked.

/**
 * Modal's published base rates, USD per second (modal.com/pricing, as read on 2026-06-27): Nvidia T4 $0.000164/s
 * ($0.59/h), CPU $0.0000131 per physical core per second, memory $0.00000222 per GiB per second. Region pinning
 * and non-preemptible execution multiply these; MeshBench's functions use neither.
 */
export const MODAL_RATES = {
  asOf: '2026-06-27',
  gpuUsdPerSecond: { T4: 0.000164 } as Record<string, number>,
  cpuCoreUsdPerSecond: 0.0000131,
  memoryGibUsdPerSecond: 0.00000222,
};

/** g4dn.xlarge (one T4, 4 vCPU, 16 GiB) on demand in us-east-1: the always-on box the offload replaces. */
export const DEFAULT_EC2_BASELINE_USD_PER_HOUR = 0.526;
const HOURS_PER_MONTH = 730;

/** What a function reserves; Modal bills the larger of reservation and use, and MeshBench reserves explicitly. */
export interface FunctionSize {
  gpu: string | null;
  cpu: number;
  memoryMiB: number;
  /** Idle seconds before scale-down. */
  scaledownS: number;
}

/** USD per second a container of this size costs while it is up. */
export function containerUsdPerSecond(size: FunctionSize): number {
  const gpu = size.gpu ? MODAL_RATES.gpuUsdPerSecond[size.gpu] : 0;
  if (gpu === undefined) throw new Error(`no published rate for GPU ${size.gpu}`);
  return gpu + size.cpu * MODAL_RATES.cpuCoreUsdPerSecond + (size.memoryMiB / 1024) * MODAL_RATES.memoryGibUsdPerSecond;
}

/** One call of the mesh function as it was billed: container start-up, then the call (any outcome). */
export interface BilledCall {
  startupS: number;
  runS: number;
}

export interface JobCost {
  /** Seconds the worker spent on the job's calls (failed and retried ones included). */
  workerSeconds: number;
  /** Container seconds billed: start-up + calls + idle window until scale-down, one container per call. */
  billedSeconds: number;
  usd: number;
  /** What the same worker seconds cost on the always-on instance, billed by the hour for the job's share. */
  ec2BaselineUsd: number;
  /** The function size priced (gpu, cpu, memory) and the rate per container-second. */
  gpu?: string | null;
  usdPerSecond?: number;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * A job's cost: each call ran in its own container (a fan-out starts one per attempt), which was billed from its
 * start-up to the end of the idle window after the call. That is the price of an isolated job; jobs close enough
 * together to share warm containers pay less (monthlyCost models that).
 */
export function jobCost(calls: BilledCall[], size: FunctionSize, ec2UsdPerHour: number): JobCost {
  const workerSeconds = calls.reduce((s, c) => s + c.runS, 0);
  const billedSeconds = calls.reduce((s, c) => s + c.startupS + c.runS + size.scaledownS, 0);
  const rate = containerUsdPerSecond(size);
  return {
    workerSeconds: Math.round(workerSeconds * 1000) / 1000,
    billedSeconds: Math.round(billedSeconds * 1000) / 1000,
    usd: round6(billedSeconds * rate),
    ec2BaselineUsd: round6((workerSeconds / 3600) * ec2UsdPerHour),
    gpu: size.gpu,
    usdPerSecond: rate,
  };
}

/** A typical job for the monthly model: its calls (fan-out), each call's start-up and run seconds. */
export interface JobProfile {
  calls: number;
  startupS: number;
  runS: number;
}

/**
 * Monthly cost at `jobsPerDay` jobs spread evenly over the day. A container that gets its next call within the
 * idle window never scales down, so it is billed for the whole gap (and pays no start-up); otherwise each call pays
 * start-up + run + the idle window. Calls closer together than their run time need more containers, each billed
 * for its run.
 */
export function monthlyCost(jobsPerDay: number, job: JobProfile, size: FunctionSize, ec2UsdPerHour: number) {
  const rate = containerUsdPerSecond(size);
  const gap = 86400 / Math.max(jobsPerDay, 1e-9);
  const cold = job.startupS + job.runS + size.scaledownS;
  const perCall = Math.min(cold, Math.max(job.runS, gap));
  const modalUsd = jobsPerDay * (365 / 12) * job.calls * perCall * rate;
  const ec2Usd = HOURS_PER_MONTH * ec2UsdPerHour;
  return { jobsPerDay, modalUsd, ec2Usd, saving: ec2Usd > 0 ? 1 - modalUsd / ec2Usd : 0 };
}

/** The most jobs per day that still cost at most `(1 - saving)` of the EC2 bill (saving 0: break-even). */
export function breakEvenJobsPerDay(job: JobProfile, size: FunctionSize, ec2UsdPerHour: number, saving = 0): number {
  const ok = (n: number) => monthlyCost(n, job, size, ec2UsdPerHour).saving >= saving;
  let lo = 0;
  let hi = 1;
  while (ok(hi) && hi < 1e9) hi *= 2;
  if (hi >= 1e9) return Infinity;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return Math.floor(lo);
}
