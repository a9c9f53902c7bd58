// Whether offloading is allowed right now (the circuit breaker), in the top bar in plain words, refreshed every 15 s,
// with a way to resume it when it paused the cloud. The details (error rates, reason) are on hover.
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
      <span className="badge muted" data-testid="breaker-state" title="The cloud's state could not be read">
        cloud ?
      </span>
    );
  const rates = `Modal errors ${(b.modalErrorRate * 100).toFixed(1)} %, S3 failures ${(b.s3FailureRate * 100).toFixed(1)} % over the last ${b.window} jobs`;
  return (
    <span
      className={`badge ${b.open ? 'st-failed' : 'st-completed'}`}
      data-testid="breaker-state"
      title={
        b.open
          ? `Offloading is paused after repeated cloud failures${b.reason ? ` (${b.reason})` : ''}: Auto runs locally until it is resumed. ${rates}.`
          : `Offloading is available (Modal or Auto may use the cloud). ${rates}.`
      }
    >
      {b.open ? 'cloud paused' : 'cloud ok'}
      {b.open && (
        <button
          className="link"
          title="Allow offloading again"
          onClick={async () => useStore.getState().setBreaker(await getApi().resetBreaker())}
        >
          resume
        </button>
      )}
    </span>
  );
}
