// Understanding Gmsh's console: levels, progress "[ 40%]", per-dimension wall times, and the surfaces its
// errors name (for the viewer's highlight).

type GmshLevel = 'info' | 'warning' | 'error' | 'debug';

export interface ParsedLine {
  level: GmshLevel;
  text: string;
  percent: number | null;
  /** "Done meshing 2D (Wall 0.03s ...)" -> { dim: 2, seconds } */
  done: { dim: number; seconds: number } | null;
}

const LEVEL = /^(Info|Warning|Error|Debug)\s*:\s?/;
const PERCENT = /\[\s*(\d{1,3})%\]/;
const DONE = /Done meshing (\d)D \(Wall ([\d.eE+-]+)s/;

export function parseGmshLine(line: string): ParsedLine {
  const m = LEVEL.exec(line);
  const level: GmshLevel = m ? (m[1].toLowerCase() as GmshLevel) : 'info';
  const p = PERCENT.exec(line);
  const d = DONE.exec(line);
  return {
    level,
    text: line,
    percent: p ? Math.min(100, Number(p[1])) : null,
    done: d ? { dim: Number(d[1]), seconds: Number(d[2]) } : null,
  };
}

/** The lines that explain a failure, in Gmsh's own words, without its summary banner. */
export function gmshErrors(lines: string[]): string[] {
  return lines
    .filter((l) => l.startsWith('Error'))
    .map((l) => l.replace(LEVEL, '').trim())
    .filter(
      (l) =>
        l &&
        !/^-+$/.test(l) &&
        !/^Mesh generation error summary/.test(l) &&
        !/^\d+ (warning|error)s?$/.test(l) &&
        !/^Check the full log/.test(l),
    );
}

/** Surface tags named by error lines, e.g. "Invalid boundary mesh (segment-facet intersection) on surface 8". */
export function failedSurfaces(errors: string[]): number[] {
  const tags = new Set<number>();
  for (const e of errors) for (const m of e.matchAll(/\bsurface (\d+)/gi)) tags.add(Number(m[1]));
  return [...tags].sort((a, b) => a - b);
}
