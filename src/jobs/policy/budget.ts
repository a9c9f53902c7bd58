// Budgets per attempt under the adaptive cascade: an attempt is stopped, with the reason in words, when
//  - it has run `timeFactor`× longer than the median attempt that finished with a mesh (never before `minTimeSec`);
//  - it heads for more than `elementFactor`× the tetrahedra of the `default` attempt (and over `minElements`). The estimate comes from Gmsh's
//    own log while it works: the surface pass ends with the node count the 3D mesher starts from ("Tetrahedrizing N
//    nodes", HXT's first "mesh.nvert: N"), and tetrahedra grow as (surface nodes)^1.5 for a size field scaled
//    uniformly; during 3D the live node count ("It. i - k nodes created", "mesh.nvert: N") is a lower bound.
import type { AttemptOutcome } from '../../contract/attempt';
import { CASCADE_RULES } from '../../contract/cascade';

const BUDGET_RULES = CASCADE_RULES;
export type BudgetRules = typeof BUDGET_RULES;

interface Meter {
  startMs: number;
  surfaceNodes: number | null;
  nodes: number | null;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const times = (x: number) => (x >= 10 ? Math.round(x) : Math.round(x * 10) / 10);

export class AttemptBudgets {
  private meters = new Map<number, Meter>();
  private finishedSec: number[] = [];
  private ref: { tets: number; nodes: number; surfaceNodes: number | null } | null = null;
  /** Attempts the element budget stopped, with the tetrahedra they were heading for. */
  readonly elementStops = new Map<number, number>();
  /** Attempts that run without the element budget (a second chance); the time budgets still apply. */
  private unbounded = new Set<number>();

  constructor(
    readonly rules: BudgetRules = BUDGET_RULES,
    private readonly now = () => performance.now(),
  ) {}

  start(index: number): void {
    this.meters.set(index, { startMs: this.now(), surfaceNodes: null, nodes: null });
  }

  /** One line of the attempt's Gmsh log. */
  line(index: number, text: string): void {
    const m = this.meters.get(index);
    if (!m) return;
    let r = /Tetrahedrizing (\d+) nodes/.exec(text);
    if (r) {
      m.surfaceNodes = Number(r[1]);
      m.nodes = m.surfaceNodes;
      return;
    }
    r = /mesh\.nvert:\s*(\d+)/.exec(text);
    if (r) {
      m.surfaceNodes ??= Number(r[1]);
      m.nodes = Number(r[1]);
      return;
    }
    r = /It\. \d+ - (\d+) nodes created/.exec(text);
    if (r && m.surfaceNodes !== null) m.nodes = m.surfaceNodes + Number(r[1]);
  }

  finished(o: AttemptOutcome): void {
    const m = this.meters.get(o.index);
    if (o.status !== 'completed' || !o.elements) return;
    if (o.seconds !== null) this.finishedSec.push(o.seconds);
    if (o.strategy === 'default' && o.elements.tetrahedra > 0)
      this.ref = { tets: o.elements.tetrahedra, nodes: o.nodes ?? 0, surfaceNodes: m?.surfaceNodes ?? null };
  }

  withoutElementBudget(index: number): void {
    this.unbounded.add(index);
  }

  elapsedSec(index: number): number {
    const m = this.meters.get(index);
    return m ? (this.now() - m.startMs) / 1000 : 0;
  }

  /** Why the attempt must stop now, in words, or null while it is within budget. */
  overBudget(index: number): string | null {
    const m = this.meters.get(index);
    if (!m) return null;
    const elapsed = this.elapsedSec(index);
    if (this.finishedSec.length) {
      const med = median(this.finishedSec);
      const limit = Math.max(this.rules.minTimeSec, this.rules.timeFactor * med);
      if (elapsed > limit)
        return `stopped: ${times(elapsed / med)}× the time of the finished attempts (${elapsed.toFixed(1)} s against a median of ${med.toFixed(2)} s; budget ${this.rules.timeFactor}×)`;
    }
    const est = this.unbounded.has(index) ? null : this.estimatedTets(m);
    if (this.ref && est && est.tets > Math.max(this.rules.minElements, this.rules.elementFactor * this.ref.tets)) {
      this.elementStops.set(index, est.tets);
      return `stopped: heading for ~${Math.round(est.tets).toLocaleString('en-US')} tetrahedra, ${times(est.tets / this.ref.tets)}× the ${this.ref.tets.toLocaleString('en-US')} of default (${est.basis}; budget ${this.rules.elementFactor}×)`;
    }
    return null;
  }

  private estimatedTets(m: Meter): { tets: number; basis: string } | null {
    const ref = this.ref;
    if (!ref) return null;
    let best: { tets: number; basis: string } | null = null;
    if (m.surfaceNodes !== null && ref.surfaceNodes)
      best = {
        tets: ref.tets * (m.surfaceNodes / ref.surfaceNodes) ** 1.5,
        basis: `surface pass: ${m.surfaceNodes} surface nodes against default's ${ref.surfaceNodes}`,
      };
    if (m.nodes !== null && ref.nodes > 0) {
      const live = m.nodes * (ref.tets / ref.nodes);
      if (!best || live > best.tets) best = { tets: live, basis: `${m.nodes} nodes so far` };
    }
    return best;
  }
}
