// Frame and request timings as standard User Timing entries (performance.mark / performance.measure): the browser
// keeps them, DevTools' Performance panel shows them, and the viewer benchmark reads them from the page. Names are
// `meshbench:<what>:<job id>`; each job's first occurrence is the one kept (later views of it measure nothing new).

const name = (what: string, jobId: string) => `meshbench:${what}:${jobId}`;
const has = (n: string) => performance.getEntriesByName(n).length > 0;

/** Marks the first time `what` happens for a job. */
export function markOnce(what: string, jobId: string): void {
  const n = name(what, jobId);
  if (!has(n)) performance.mark(n);
}

/** Measures from `startMs` (performance.now()) to now under `what`, once per job. */
export function measureOnce(what: string, jobId: string, startMs: number): void {
  const n = name(what, jobId);
  if (!has(n)) performance.measure(n, { start: startMs, end: performance.now() });
}
