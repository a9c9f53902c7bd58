// Words for what the job measured against the part: the small CAD features next to a missed mesh's bad elements, and
// a tetrahedron count against what the requested size implies. One wording for the log, the CLI and the desktop.
import type { GeometryReport, JobResult } from './job';

/** A face corner below this many degrees is a cusp: the geometry report names it, the coarse-cusps attempt sizes it. */
export const CUSP_DEG = 10;

/** One line per feature next to bad elements, most first, then the bad elements near none. */
export function geometryLines(g: GeometryReport): string[] {
  const of = `of the ${g.badElements.toLocaleString('en-US')} elements below the targets`;
  const lines = g.causes.map((c) => `${c.text} (${c.badElements.toLocaleString('en-US')} ${of})`);
  if (g.unexplained)
    lines.push(
      `${g.unexplained.toLocaleString('en-US')} ${of} are not explained by a small CAD feature: maybe a thin wall, or a face narrow in one place`,
    );
  return lines;
}

/**
 * "4.1× what size 11.8 implies" for `tets` against the job's requested size ("4.1× size 11.8 implies" `short`, for a
 * table column); '' when the job has none.
 */
export function againstRequested(tets: number, requested: JobResult['requested'], short = false): string {
  if (!requested || !(requested.tets > 0)) return '';
  const r = tets / requested.tets;
  return `${r >= 10 ? Math.round(r) : r.toFixed(1)}× ${short ? '' : 'what '}size ${Number(requested.size.toPrecision(3))} implies`;
}
