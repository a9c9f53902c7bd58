// Human-readable output for the terminal; `--json` output never goes through here.
import Table from 'cli-table3';
import { keptAttempt, repairWords, type JobResult, type LayerResult } from '../contract/job';
import { qualityBands } from '../contract/histogram-bands';
import { metricTarget, shownStatus, targetsText, type QualityMetric } from '../contract/targets';
import { againstRequested, geometryLines } from '../contract/geometry';

const fmtMs = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? '—' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
export const fmtNum = (v: number | null | undefined, digits = 3) =>
  v === null || v === undefined ? '—' : Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(digits);
export const fmtPct = (v: number | null) => (v === null ? '—' : `${v >= 0 ? '+' : ''}${v.toFixed(1)} %`);

export function table(head: string[], rows: (string | number)[][]): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const r of rows) t.push(r.map(String));
  return t.toString();
}

export function jobsTable(jobs: JobResult[]): string {
  return table(
    ['id', 'status', 'backend', 'input', 'strategy', 'tets', 'score', 'time'],
    jobs.map((j) => [
      j.id,
      shownStatus(j),
      j.backend ?? j.requestedBackend,
      j.input.path.split(/[\\/]/).pop() ?? '',
      j.strategy ?? '—',
      fmtNum(j.mesh?.elements.tetrahedra ?? null),
      j.score === null ? '—' : j.score.toFixed(2),
      fmtMs(j.timings.totalMs),
    ]),
  );
}

/** One group's layers: asked, measured, and the largest place where they thin out. */
function layerSummary(g: LayerResult): string {
  const m = g.measured;
  const f = (v: number) => String(Number(v.toPrecision(3)));
  const head = `Layers  ${g.target}: ${g.asked.count} x ${f(g.asked.first)} (growth ${g.asked.growth}, total ${f(g.asked.total)}); measured first ${f(m.first.min)}..${f(m.first.max)}, total ${f(m.total.min)}..${f(m.total.max)}, ${Math.round(m.firstWithin20Pct * 100)} % of ${fmtNum(g.wallNodes)} wall nodes within 20 %`;
  const spot = g.spots[0];
  return g.shrunk + g.stopped
    ? `${head}\n        thinner at ${fmtNum(g.shrunk)} nodes, none at ${fmtNum(g.stopped)}${spot ? `; largest place ${fmtNum(spot.nodes)} nodes at (${spot.at.join(', ')}): ${spot.reason}` : ''}`
    : head;
}

export function jobDetails(j: JobResult): string {
  const out: string[] = [];
  out.push(
    `Job ${j.id}: ${shownStatus(j)}${j.backend ? ` on ${j.backend}` : ''}${j.fallback ? ` (fell back from ${j.fallback.from}: ${j.fallback.reason})` : ''}`,
  );
  out.push(`Input   ${j.input.path} (${j.input.format ?? '?'}, ${fmtNum(j.input.bytes)} bytes)`);
  if (j.mesh) {
    const vs = againstRequested(j.mesh.elements.tetrahedra, j.requested);
    out.push(
      `Mesh    ${j.mesh.path} — ${fmtNum(j.mesh.elements.tetrahedra)} tetrahedra${vs ? ` (${vs})` : ''}, ${fmtNum(j.mesh.nodes)} nodes, strategy ${j.strategy}, score ${j.score?.toFixed(2)}`,
    );
  }
  if (j.stopped) out.push(`Stopped ${j.stopped.reason}`);
  if (j.targets)
    out.push(
      j.targets.met
        ? `Targets met (${targetsText(j.targets)})`
        : `Targets MISSED: ${j.targets.missed.join('; ')} — the mesh that misses them least (worst element first) was kept`,
    );
  if (j.geometry)
    out.push(
      `Geometry what the CAD prevents, next to the kept mesh's elements below the targets (element size ${Number(j.geometry.elementSize.toPrecision(3))} mm):`,
      ...geometryLines(j.geometry).map((l) => `        ${l}`),
    );
  if (j.quality) {
    const q = j.quality;
    out.push(
      table(
        ['metric', 'min', 'avg', 'max', 'p10'],
        [
          ['SICN', ...[q.sicn.min, q.sicn.avg, q.sicn.max, q.sicn.p10].map((v) => fmtNum(v))],
          ['gamma', ...[q.gamma.min, q.gamma.avg, q.gamma.max, q.gamma.p10].map((v) => fmtNum(v))],
          [
            'aspect ratio',
            ...[q.aspectRatio.min, q.aspectRatio.avg, q.aspectRatio.max, q.aspectRatio.p10].map((v) => fmtNum(v)),
          ],
          [
            'min dihedral °',
            ...[q.minDihedralDeg.min, q.minDihedralDeg.avg, q.minDihedralDeg.max, q.minDihedralDeg.p10].map((v) =>
              fmtNum(v, 2),
            ),
          ],
          ['skewness', ...[q.skewness.min, q.skewness.avg, q.skewness.max, q.skewness.p10].map((v) => fmtNum(v))],
          ...(q.scaledJacobian
            ? [
                [
                  'scaled Jacobian (curved)',
                  ...[q.scaledJacobian.min, q.scaledJacobian.avg, q.scaledJacobian.max, q.scaledJacobian.p10].map((v) =>
                    fmtNum(v),
                  ),
                ],
              ]
            : []),
        ],
      ),
    );
    out.push(
      `Inverted elements: ${q.inverted}${q.cornerNodesOnly ? ` (quadratic tets: shape metrics on their corner nodes; ${q.invertedCurved ?? 0} folded curved elements)` : ''}`,
    );
  }
  for (const g of j.layers ?? []) out.push(layerSummary(g));
  const target = keptAttempt(j)?.targetCount;
  if (target)
    out.push(
      `Target  ${fmtNum(target.target)} tetrahedra: reached ${fmtNum(target.reached)} (${target.deviationPct >= 0 ? '+' : ''}${target.deviationPct.toFixed(1)} %) in ${target.passes.length} Gmsh runs`,
    );
  out.push(
    table(
      ['#', 'attempt', 'status', 'tets', 'score', 'time', 'reason'],
      j.attempts.map((a) => [
        a.index,
        a.strategy,
        j.status === 'completed' && a.index === j.winnerIndex
          ? `${a.status} (kept)`
          : a.discarded
            ? `${a.status} (set aside)`
            : a.status,
        a.elements
          ? `${fmtNum(a.elements.tetrahedra)}${j.requested ? ` (${againstRequested(a.elements.tetrahedra, j.requested, true)})` : ''}`
          : '—',
        a.score === null ? '—' : a.score.toFixed(2),
        a.seconds === null ? '—' : `${a.seconds.toFixed(2)} s`,
        [
          // why a round was set aside first: the repair's words can be long
          a.discarded ?? '',
          a.repair ? repairWords(a.repair) : '',
          a.secondChance ? `second chance of #${a.secondChance.from}` : '',
          a.error ?? '',
        ]
          .filter(Boolean)
          .join('; ')
          .slice(0, 160),
      ]),
    ),
  );
  if (j.groups?.length) {
    const shown = j.groups.filter((g) => g.dim === 3 || !/^Face_\d+$/.test(g.name));
    const faces = j.groups.length - shown.length;
    out.push(
      `Groups  ${j.groups.length} (${shown.length} listed${faces ? `, plus ${faces} automatic Face_<tag> groups` : ''}; units ${j.units ?? 'mm'})`,
    );
    out.push(
      table(
        ['group', 'label', 'dim', 'CAD tags', 'nodes', 'elements'],
        shown.map((g) => [
          g.name,
          g.label,
          g.dim === 3 ? 'body' : 'face',
          g.tags.join(','),
          fmtNum(g.nodes),
          fmtNum(g.elements),
        ]),
      ),
    );
  }
  if (j.exports?.length)
    out.push(
      table(
        ['export', 'file', 'bytes', 'sha256'],
        j.exports.map((e) =>
          e.error === undefined
            ? [e.format, e.path, fmtNum(e.bytes), e.sha256.slice(0, 16)]
            : [e.format, `NOT WRITTEN: ${e.error}`, '—', '—'],
        ),
      ),
    );
  const phases = Object.entries(j.timings.phases)
    .map(([k, v]) => `${k} ${fmtMs(v)}`)
    .join(', ');
  out.push(`Time    ${fmtMs(j.timings.totalMs)} (${phases})`);
  if (j.error) out.push(`Error   ${j.error.message}${j.error.hint ? `\nHint    ${j.error.hint}` : ''}`);
  return out.join('\n');
}

/** The metrics `meshbench show --histogram` takes, by the names people type. */
export const HISTOGRAM_METRICS: Record<string, { key: QualityMetric; label: string; unit: string }> = {
  sicn: { key: 'sicn', label: 'SICN', unit: '' },
  gamma: { key: 'gamma', label: 'gamma', unit: '' },
  dihedral: { key: 'minDihedralDeg', label: 'min dihedral angle', unit: '°' },
  aspect: { key: 'aspectRatio', label: 'aspect ratio', unit: '' },
  skewness: { key: 'skewness', label: 'skewness', unit: '' },
  jacobian: { key: 'scaledJacobian', label: 'scaled Jacobian', unit: '' },
};

/**
 * A quality histogram as text, the same bands the desktop draws: each band's range, a bar, its count and share, and
 * the job's target marked on the band it falls in.
 */
export function textHistogram(j: JobResult, name: keyof typeof HISTOGRAM_METRICS, width = 40): string {
  const m = HISTOGRAM_METRICS[name];
  const stats = j.quality?.[m.key];
  if (!stats)
    return `No ${m.label} histogram for job ${j.id}${j.quality ? ' (a linear mesh has no curved-element Jacobian)' : ''}.`;
  const bands = qualityBands(stats.histogram, 10);
  const total = bands.reduce((a, b) => a + b.count, 0) || 1;
  const max = Math.max(...bands.map((b) => b.count), 1);
  const target = metricTarget(m.key, j.settings.targets);
  const edge = (v: number) => String(Number(v.toPrecision(3)));
  const ranges = bands.map((b) => (b.hi === null ? `>= ${edge(b.lo)}` : `${edge(b.lo)} - ${edge(b.hi)}`));
  const rw = Math.max(...ranges.map((r) => r.length));
  const cw = Math.max(...bands.map((b) => fmtNum(b.count).length));
  const lines = [
    `${m.label} histogram of job ${j.id} (${fmtNum(total)} tetrahedra${target ? `; target ${target.kind === 'min' ? '>=' : '<='} ${target.value}${m.unit}, marked ◂` : ''}):`,
  ];
  bands.forEach((b, i) => {
    const bar = '█'.repeat(Math.round((b.count / max) * width)) || (b.count ? '▏' : '');
    const holds = target && (b.hi === null || target.value < b.hi) && (i === 0 || target.value >= b.lo);
    lines.push(
      `  ${ranges[i].padStart(rw)}${m.unit} | ${bar.padEnd(width)} ${fmtNum(b.count).padStart(cw)} ${((b.count / total) * 100).toFixed(1).padStart(5)} %${holds ? '  ◂ target' : ''}`,
    );
  });
  return lines.join('\n');
}
