// The offload circuit breaker's state in the top bar, refreshed every 15 s, with a reset when it is open.
import { useEffect } from 'react';
import { getApi } from '../api';
import * as act from '../actions';
import { useStore } from '../store';

export function BreakerBadge() {
  const b = useStore((s) => s.breaker);
  useEffect(() => {
    const t = setInterval(() => void act.refreshBreaker(), 15000);
    return () => clearInterval(t);
  }, []);
  if (!b)
    return (
      <span className="badge muted" data-testid="breaker-state">
        breaker: unknown
      </span>
    );
  return (
    <span
      className={`badge ${b.open ? 'st-failed' : 'st-completed'}`}
      data-testid="breaker-state"
      title={`Modal errors ${(b.modalErrorRate * 100).toFixed(1)} %, S3 failures ${(b.s3FailureRate * 100).toFixed(1)} % over ${b.window} jobs`}
    >
      {b.open ? `breaker open: Auto runs locally${b.reason ? ` (${b.reason})` : ''}` : 'breaker closed'}
      {b.open && (
        <button className="link" onClick={async () => useStore.getState().setBreaker(await getApi().resetBreaker())}>
          reset
        </button>
      )}
    </span>
  );
}
