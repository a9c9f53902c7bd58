// The cost formula against Modal's published per-second rates (GPU, CPU core, memory GiB), as the job reports it:
// start-up, the calls (failed and retried ones included) and the idle window until scale-down are all billed.
import { describe, expect, it } from 'vitest';
import {
  breakEvenJobsPerDay,
  containerUsdPerSecond,
  jobCost,
  MODAL_RATES,
  monthlyCost,
  type FunctionSize,
} from '../../src/cloud/cost';

const T4: FunctionSize = { gpu: 'T4', cpu: 1, memoryMiB: 2048, scaledownS: 60 };
const CPU_ONLY: FunctionSize = { ...T4, gpu: null };
const EC2 = 0.526; // g4dn.xlarge on demand, us-east-1

describe('cost as Modal bills it', () => {
  it('uses the published rates: T4 $0.000164/s, $0.0000131 per core-second, $0.00000222 per GiB-second', () => {
    expect(MODAL_RATES.gpuUsdPerSecond.T4).toBe(0.000164);
    expect(MODAL_RATES.cpuCoreUsdPerSecond).toBe(0.0000131);
    expect(MODAL_RATES.memoryGibUsdPerSecond).toBe(0.00000222);
    expect(containerUsdPerSecond(T4)).toBeCloseTo(0.000164 + 0.0000131 + 2 * 0.00000222, 12);
    expect(containerUsdPerSecond(CPU_ONLY)).toBeCloseTo(0.0000131 + 2 * 0.00000222, 12);
    // Modal's default reservation (what a function without cpu/memory gets): 0.125 cores, 128 MiB.
    expect(containerUsdPerSecond({ gpu: 'T4', cpu: 0.125, memoryMiB: 128, scaledownS: 60 })).toBeCloseTo(
      0.000164 + 0.125 * 0.0000131 + 0.125 * 0.00000222,
      12,
    );
  });

  it('a job pays start-up, every call (failed ones too) and the idle window of each container', () => {
    // A fan-out of two calls: one completed (2 s start-up, 10 s), one failed after 4 s.
    const c = jobCost(
      [
        { startupS: 2, runS: 10 },
        { startupS: 0, runS: 4 },
      ],
      T4,
      EC2,
    );
    expect(c.workerSeconds).toBe(14);
    expect(c.billedSeconds).toBe(2 + 10 + 60 + 4 + 60);
    expect(c.usd).toBeCloseTo(136 * (0.000164 + 0.0000131 + 2 * 0.00000222), 6);
    expect(c.ec2BaselineUsd).toBeCloseTo((14 / 3600) * EC2, 6);
    // The idle window is most of a short job's bill: without it the job would look 10x cheaper than it is.
    expect(
      c.usd /
        jobCost(
          [
            { startupS: 2, runS: 10 },
            { startupS: 0, runS: 4 },
          ],
          { ...T4, scaledownS: 0 },
          EC2,
        ).usd,
    ).toBeGreaterThan(8);
  });

  it('monthly: sparse jobs each pay a cold container; a container kept warm is billed around the clock', () => {
    const job = { calls: 1, startupS: 5, runS: 20 };
    const sparse = monthlyCost(100, job, T4, EC2);
    expect(sparse.ec2Usd).toBeCloseTo(730 * EC2, 6);
    expect(sparse.modalUsd).toBeCloseTo(100 * (365 / 12) * 85 * containerUsdPerSecond(T4), 6);
    // Past one job per (start-up + run + idle) the container never scales down: 24/7 at Modal's rate.
    const busy = monthlyCost(2000, job, T4, EC2);
    expect(busy.modalUsd).toBeCloseTo(86400 * (365 / 12) * containerUsdPerSecond(T4), 4);
    expect(busy.saving).toBeLessThan(0); // a T4 kept warm on Modal costs more than the EC2 box
  });

  it('break-even and the 40 % line, for a T4 function and a CPU-only one', () => {
    const job = { calls: 1, startupS: 5, runS: 20 };
    const n40 = breakEvenJobsPerDay(job, T4, EC2, 0.4);
    const n0 = breakEvenJobsPerDay(job, T4, EC2, 0);
    expect(monthlyCost(n40, job, T4, EC2).saving).toBeGreaterThanOrEqual(0.4);
    expect(monthlyCost(n40 + 1, job, T4, EC2).saving).toBeLessThan(0.4);
    expect(monthlyCost(n0 + 1, job, T4, EC2).saving).toBeLessThan(0);
    expect(n40).toBeLessThan(n0);
    // CPU-only: a container kept up all month costs less than the g4dn box; only many containers at once cost more.
    expect(monthlyCost(2000, job, CPU_ONLY, EC2).saving).toBeGreaterThan(0.8);
    expect(breakEvenJobsPerDay(job, CPU_ONLY, EC2, 0.4)).toBeGreaterThan(10 * n40);
  });
});
