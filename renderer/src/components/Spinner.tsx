// The small busy indicator used in overlays.
export function Spinner() {
  return <span className="spinner" aria-hidden />;
}
