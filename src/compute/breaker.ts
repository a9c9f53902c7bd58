// The circuit breaker of the offload path, over the recent remote events in the job store: it opens past the
// migration's rollback triggers (Modal error rate > 5 %, S3 I/O failures > 2 %, each over a minimum sample) and
// then routes `auto` to local until someone resets it. Explicit `--backend modal` still runs (and is recorded).
import type { BreakerState } from '../contract/api';
import { readSetting, setting, writeSetting, type SettingsStore } from '../util/settings';

export interface BreakerStore extends SettingsStore {
  remoteEvents(limit: number): { ts: number; kind: 'modal' | 's3'; ok: boolean; detail: string }[];
}

export interface BreakerOptions {
  /** Most recent events considered (default 200). */
  window?: number;
  /** Thresholds, as fractions. */
  modalErrorRate?: number;
  s3FailureRate?: number;
  /** Minimum events of a kind before its rate may open the breaker. */
  minModal?: number;
  minS3?: number;
}

interface Persisted {
  reason: string;
  since: string;
  modalErrorRate: number;
  s3FailureRate: number;
  window: number;
}
const OPEN = setting<Persisted>('breaker.open', (z) =>
  z.object({
    reason: z.string(),
    since: z.string(),
    modalErrorRate: z.number(),
    s3FailureRate: z.number(),
    window: z.number(),
  }),
);
const RESET_AT = setting('breaker.resetAt', (z) => z.number());

const pct = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)} %`;

/** Current state; opens (and persists the opening) when a trigger is crossed. */
export function breakerState(store: BreakerStore, o: BreakerOptions = {}): BreakerState {
  const window = o.window ?? 200;
  const resetAt = readSetting(store, RESET_AT) ?? 0;
  const events = store.remoteEvents(window).filter((e) => e.ts > resetAt);
  const modal = events.filter((e) => e.kind === 'modal');
  const s3 = events.filter((e) => e.kind === 's3');
  const rate = (xs: typeof events) => (xs.length ? xs.filter((e) => !e.ok).length / xs.length : 0);
  const modalErrorRate = rate(modal);
  const s3FailureRate = rate(s3);

  const persisted = readSetting(store, OPEN);
  if (persisted)
    return {
      open: true,
      reason: persisted.reason,
      modalErrorRate,
      s3FailureRate,
      window: events.length,
      since: persisted.since,
    };

  const reasons: string[] = [];
  const lastFail = (xs: typeof events) => xs.find((e) => !e.ok);
  if (modal.length >= (o.minModal ?? 20) && modalErrorRate > (o.modalErrorRate ?? 0.05)) {
    reasons.push(
      `Modal error rate ${pct(modalErrorRate)} over the last ${modal.length} calls (trigger > ${pct(o.modalErrorRate ?? 0.05)}); last: ${lastFail(modal)?.detail ?? ''}`,
    );
  }
  if (s3.length >= (o.minS3 ?? 50) && s3FailureRate > (o.s3FailureRate ?? 0.02)) {
    reasons.push(
      `S3 I/O failure rate ${pct(s3FailureRate)} over the last ${s3.length} transfers (trigger > ${pct(o.s3FailureRate ?? 0.02)}); last: ${lastFail(s3)?.detail ?? ''}`,
    );
  }
  if (!reasons.length)
    return { open: false, reason: null, modalErrorRate, s3FailureRate, window: events.length, since: null };
  const open: Persisted = {
    reason: reasons.join('; '),
    since: new Date().toISOString(),
    modalErrorRate,
    s3FailureRate,
    window: events.length,
  };
  writeSetting(store, OPEN, open);
  return { open: true, reason: open.reason, modalErrorRate, s3FailureRate, window: events.length, since: open.since };
}

/** Closes the breaker; events before now no longer count. */
export function resetBreaker(store: BreakerStore): BreakerState {
  writeSetting(store, OPEN, null);
  writeSetting(store, RESET_AT, Date.now());
  return breakerState(store);
}
