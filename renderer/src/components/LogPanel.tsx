// Live Gmsh log: virtualized (only visible rows exist in the DOM), level filter, attempt filter (parallel attempts'
// lines interleave), search, follow, copy. Filtering is incremental: while lines stream in, only the new ones are
// scanned.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogLine } from '../../../src/contract/job';
import { useStore } from '../store';

const LEVELS: LogLine['level'][] = ['info', 'warning', 'error', 'debug'];
const EMPTY: LogLine[] = [];

/** The attempt filter: every line, the job's own lines, or one attempt's. */
type AttemptFilter = 'all' | 'job' | number;

export function LogPanel({ jobId }: { jobId: string | null }) {
  const log = useStore((s) => (jobId ? s.logs[jobId] : undefined));
  const job = useStore((s) => (jobId ? s.jobs[jobId] : undefined));
  const progress = useStore((s) => (jobId ? s.progress[jobId] : undefined));
  const [attempt, setAttempt] = useState<AttemptFilter>('all');
  useEffect(() => setAttempt('all'), [jobId]);
  const lines = log?.lines ?? EMPTY;
  const version = log?.version ?? 0;
  const [levels, setLevels] = useState<Record<string, boolean>>({
    info: true,
    warning: true,
    error: true,
    debug: false,
  });
  const [query, setQuery] = useState('');
  const [follow, setFollow] = useState(true);
  const [copied, setCopied] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const filterRef = useRef<{ key: string; arr: LogLine[] | null; scanned: number; idx: number[] }>({
    key: '',
    arr: null,
    scanned: 0,
    idx: [],
  });

  const key = `${jobId}|${JSON.stringify(levels)}|${query.toLowerCase()}|${attempt}`;
  const visible = useMemo(() => {
    const f = filterRef.current;
    if (f.key !== key || f.arr !== lines || f.scanned > lines.length) {
      f.key = key;
      f.arr = lines;
      f.scanned = 0;
      f.idx = [];
    }
    const q = query.toLowerCase();
    const all = LEVELS.every((l) => levels[l]) && !q && attempt === 'all';
    const want = attempt === 'all' ? undefined : attempt === 'job' ? null : attempt;
    for (let i = f.scanned; i < lines.length; i++) {
      const l = lines[i];
      if (
        all ||
        (levels[l.level] && (want === undefined || l.attempt === want) && (!q || l.text.toLowerCase().includes(q)))
      )
        f.idx.push(i);
    }
    f.scanned = lines.length;
    return f.idx.length;
    // version: lines is mutated in place while streaming, so its identity alone does not say it grew
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, lines, version, levels, query, attempt]);

  const v = useVirtualizer({
    count: visible,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 18,
    overscan: 20,
  });

  useEffect(() => {
    if (follow && visible > 0) v.scrollToIndex(visible - 1, { align: 'end' });
  }, [follow, visible, v]);

  // Level counts, kept incrementally like the filter (the array only grows while a job streams).
  const countRef = useRef<{ arr: LogLine[] | null; scanned: number; c: Record<string, number>; seen: Set<number> }>({
    arr: null,
    scanned: 0,
    c: {},
    seen: new Set(),
  });
  const counts = useMemo(() => {
    const r = countRef.current;
    if (r.arr !== lines || r.scanned > lines.length) {
      r.arr = lines;
      r.scanned = 0;
      r.c = { info: 0, warning: 0, error: 0, debug: 0 };
      r.seen = new Set();
    }
    for (let i = r.scanned; i < lines.length; i++) {
      r.c[lines[i].level]++;
      if (lines[i].attempt !== null) r.seen.add(lines[i].attempt!);
    }
    r.scanned = lines.length;
    return { ...r.c };
    // version: lines is mutated in place while streaming, so its identity alone does not say it grew
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lines, version]);

  const copy = async () => {
    const f = filterRef.current;
    const text = f.idx.map((i) => lines[i].text).join('\n');
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const ta = document.createElement('textarea');
      ta.value = text;
      document.body.appendChild(ta);
      ta.select();
      document.execCommand('copy');
      ta.remove();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1200);
  };

  return (
    <div className="log" data-testid="log-panel" {...(__MESHBENCH_E2E__ ? { 'data-lines': lines.length } : {})}>
      <div className="log-bar">
        {LEVELS.map((l) => (
          <label key={l} className={`chip lvl-${l}`}>
            <input
              type="checkbox"
              checked={levels[l]}
              onChange={(e) => setLevels({ ...levels, [l]: e.target.checked })}
            />
            {l} <span className="muted">{counts[l]}</span>
          </label>
        ))}
        <select
          value={String(attempt)}
          onChange={(e) => {
            const v = e.target.value;
            setAttempt(v === 'all' || v === 'job' ? v : Number(v));
          }}
          data-testid="log-attempt"
          title="Only the lines of one attempt (parallel attempts' lines interleave)"
        >
          <option value="all">all attempts</option>
          <option value="job">job lines only</option>
          {attemptsOf(countRef.current.seen, job?.attempts, progress?.attempts).map(([i, name]) => (
            <option key={i} value={i}>
              #{i} {name}
            </option>
          ))}
        </select>
        <input
          className="search"
          placeholder="Search log…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="log-search"
        />
        <label className="chip">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow
        </label>
        <button
          onClick={copy}
          disabled={!visible}
          title={visible ? 'Copy the lines shown to the clipboard' : 'No log lines shown to copy'}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <span className="muted">
          {visible.toLocaleString()} / {lines.length.toLocaleString()} lines
        </span>
      </div>
      <div
        className="log-scroll"
        ref={scrollRef}
        onWheel={(e) => {
          if (e.deltaY < 0 && follow) setFollow(false);
        }}
      >
        {!jobId && <div className="empty">Select or run a job to see Gmsh's output here.</div>}
        {jobId && !lines.length && <div className="empty">No log lines yet.</div>}
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((it) => {
            const l = lines[filterRef.current.idx[it.index]];
            if (!l) return null;
            return (
              <div
                key={it.key}
                className={`log-line lvl-${l.level}`}
                style={{ position: 'absolute', top: 0, transform: `translateY(${it.start}px)`, height: 18 }}
              >
                <span className="log-att">{l.attempt === null ? '·' : `#${l.attempt}`}</span>
                {l.text}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** The attempts a log's lines name, ascending, each with its strategy (from the job, or its progress events). */
function attemptsOf(
  seen: Set<number>,
  attempts: { index: number; strategy: string }[] | undefined,
  progress: Record<number, { phase: string }> | undefined,
): [number, string][] {
  const all = new Set([...seen, ...(attempts ?? []).map((a) => a.index)]);
  return [...all]
    .sort((a, b) => a - b)
    .map((i) => [i, attempts?.find((a) => a.index === i)?.strategy ?? progress?.[i]?.phase ?? '']);
}
