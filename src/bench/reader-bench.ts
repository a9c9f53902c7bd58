// Issue 2 item 10 (b): our .msh reader against meshio, in-process read time, on the same binary file.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readMshFile } from '../mesh/msh-reader';
import { median } from './measure';

const benchPython = () => process.env.MESHBENCH_PYTHON ?? '/usr/bin/python3';

/**
 * The script must print one line when ready, then for every input line run the timed operation once and print
 * one JSON line {"seconds": number, ...}. `setup` failures surface with the script's stderr.
 */
export class PyTimer {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterableIterator<string>;
  private stderr = '';

  private readonly what: string;

  constructor(script: string, args: string[], what: string) {
    this.proc = spawn(benchPython(), ['-u', '-c', script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d) => (this.stderr = (this.stderr + d).slice(-4000)));
    this.proc.on('error', (e) => (this.stderr += `\n${e.message}`));
    this.lines = createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
    this.what = what;
  }

  /** The next JSON line; libraries may print other lines (meshio prints blank ones). */
  private async line(): Promise<string> {
    for (;;) {
      const r = await this.lines.next();
      if (r.done)
        throw new Error(
          `${this.what} (${benchPython()}) stopped: ${this.stderr.trim().split('\n').slice(-3).join(' ') || 'no output'}`,
        );
      if (r.value.startsWith('{')) return r.value;
    }
  }
  async ready(): Promise<unknown> {
    return JSON.parse(await this.line());
  }
  /** One timed run; `input` is the line the script reads (which operation, for scripts that time several). */
  async once(input = 'go'): Promise<number> {
    this.proc.stdin.write(`${input}\n`);
    return (JSON.parse(await this.line()) as { seconds: number }).seconds;
  }
  close(): void {
    this.proc.stdin.end();
    this.proc.kill();
  }
}

// meshio.read only inside the timer; one warm-up read before "ready" (module imports, first-call costs).
const MESHIO = `
import json, sys, time
import meshio
path = sys.argv[1]
m = meshio.read(path)
print(json.dumps({"cells": int(sum(len(c.data) for c in m.cells))}), flush=True)
for _ in sys.stdin:
    t0 = time.perf_counter()
    meshio.read(path)
    print(json.dumps({"seconds": time.perf_counter() - t0}), flush=True)
`;

/**
 * Untimed reads before timing. meshio (numpy) is at speed from its second read; our parser is JavaScript, which V8
 * optimizes after a few calls, so it gets a few more: both sides are then timed at steady state, interleaved.
 * The first (cold) read of ours is reported separately.
 */
const WARMUP_OURS = 5;
const WARMUP_MESHIO = 2;

export interface ReaderBench {
  /** median ms, steady state */
  ours: number;
  /** ms of our first read in this process (cold JIT) */
  oursFirst: number;
  meshio: number;
  /** meshio / ours */
  ratio: number;
  elements: number;
  /** What was compared, for the bench table. */
  note: string;
}

/** A read takes milliseconds, so take enough pairs for a stable median on a busy machine, whatever `repeats` says. */
const MIN_READER_RUNS = 15;

export async function benchReader(mshPath: string, repeats = 3): Promise<ReaderBench> {
  const py = new PyTimer(MESHIO, [mshPath], 'meshio');
  try {
    const { cells } = (await py.ready()) as { cells: number };
    const t0 = performance.now();
    const first = readMshFile(mshPath);
    const oursFirst = performance.now() - t0;
    for (let i = 1; i < WARMUP_OURS; i++) readMshFile(mshPath);
    for (let i = 1; i < WARMUP_MESHIO; i++) await py.once();
    const c = first.counts;
    const elements = c.tetrahedra + c.triangles + c.lines + c.points + c.other;
    if (cells !== elements) throw new Error(`meshio read ${cells} cells, we read ${elements} elements of ${mshPath}`);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < Math.max(repeats, MIN_READER_RUNS); i++) {
      const t0 = performance.now();
      readMshFile(mshPath);
      ours.push(performance.now() - t0);
      theirs.push((await py.once()) * 1000);
    }
    const o = median(ours);
    const m = median(theirs);
    const note = `${elements.toLocaleString('en-US')} elements; median of ${ours.length} interleaved pairs after warm-up (our first, cold read: ${oursFirst.toFixed(1)} ms)`;
    return { ours: o, oursFirst, meshio: m, ratio: m / o, elements, note };
  } finally {
    py.close();
  }
}
