// The job's log lines about its attempts and its error when none produced a mesh, the same for a fresh run
// (cascade.ts) and a resumed one (resume.ts).
import type { AttemptOutcome } from '../../contract/attempt';
import type { JobError, LogLine } from '../../contract/job';
import { isMemoryExceeded, MEMORY_ENV } from '../../gmsh/memory';

/** The log line that reports an attempt's end, in the level it deserves. */
export function attemptLine(o: AttemptOutcome): { level: LogLine['level']; text: string } {
  const score = o.score !== null ? `, score ${o.score.toFixed(2)}` : '';
  const quality = o.quality
    ? `, ${o.elements?.tetrahedra} tets${layerCells(o)}, SICN min ${o.quality.sicn.min.toFixed(3)}`
    : '';
  return {
    level: o.status === 'completed' ? 'info' : 'warning',
    text: `Attempt ${o.strategy}: ${o.status}${score}${quality}${o.error ? ` — ${o.error}` : ''}`,
  };
}

/** The job's error when no attempt produced a valid mesh: every attempt's reason, in attempt order. */
export function allAttemptsFailed(inputPath: string, outcomes: Iterable<AttemptOutcome>): JobError {
  const all = [...outcomes].sort((a, b) => a.index - b.index);
  // Each reason once, with the attempts that gave it (seven attempts of one unreadable file say one thing).
  const by = new Map<string, string[]>();
  for (const o of all) by.set(o.error ?? o.status, [...(by.get(o.error ?? o.status) ?? []), o.strategy]);
  const reasons = [...by].map(([why, names]) => `${names.join(', ')}: ${why}`);
  const memory = all.some((o) => isMemoryExceeded(o.error));
  return {
    code: 'all-attempts-failed',
    message: `Every attempt failed for ${inputPath}. ${reasons.join(' | ')}`,
    hint: memory
      ? `Gmsh reached its memory limit (${MEMORY_ENV}): mesh coarser (a larger --size-factor or --size-max), or raise the limit on a machine with more memory.`
      : 'Try --strategy exhaustive, a smaller --size-factor, or check the part in a CAD tool.',
  };
}

/** The job's closing line about its winner. */
export const winnerLine = (w: AttemptOutcome, dest: string) =>
  `Winner: ${w.strategy} (attempt ${w.index}), score ${w.score?.toFixed(2)}, ${w.elements?.tetrahedra} tetrahedra${layerCells(w)} -> ${dest}`;

/** ", N prisms, M pyramids" for a mesh with boundary layers. */
function layerCells(o: AttemptOutcome): string {
  const e = o.elements;
  return e?.prisms || e?.pyramids ? `, ${e.prisms ?? 0} prisms, ${e.pyramids ?? 0} pyramids` : '';
}
