// `meshbench bench`: every speed goal measured side by side against its peer in one run, reported as ratios.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { projectRoot } from '../../gmsh/locate';
import type { BenchRow } from '../../bench/measure';
import { fmtNum, table } from '../format';
import { printJson, say } from '../io';

const SECTIONS = [
  'a',
  'b',
  'c',
  'd',
  'offload',
  'preview',
  'viewer',
  'target',
  'export',
  'export-memory',
  'cascade',
  'interfaces',
  'hardparts',
  'before-after',
  'repair',
  'layers',
] as const;
type Section = (typeof SECTIONS)[number];

export function register(program: Command) {
  program
    .command('bench')
    .description(
      'benchmarks against their peers, side by side: job vs Gmsh by hand, reader vs meshio, quality vs Gmsh, cores, offload, viewer',
    )
    .option(
      '--only <list>',
      `comma-separated sections: ${SECTIONS.join(',')} (default: a,b,c,d,offload; viewer needs Chromium and npm run build; target meshes up to 1M tets; export writes a ~1M-tet mesh; export-memory meshes and exports a >5M-tet mesh (run it alone); cascade meshes the hard parts; hardparts runs small-features, compound-fillets, compound-slivers, coarse-cusps and netgen alone against default on the hard parts and samples; before-after meshes the same hard-part jobs with and without the model-planned attempts; repair runs default + local repair where default misses on the hard parts and samples; layers times a ~100k-tet job with and without 5 prism layers)`,
    )
    .option('--repeats <n>', 'runs per measurement (median)', (v) => Math.max(1, Number(v) || 3), 3)
    .option('--json', 'print the rows as JSON')
    .action(async (o) => {
      const only = new Set<Section>(
        (o.only ? String(o.only).split(',') : ['a', 'b', 'c', 'd', 'offload']).map((s) => s.trim() as Section),
      );
      const root = projectRoot(__dirname) ?? process.cwd();
      const cli = join(root, 'bin', 'meshbench');
      const demo = join(root, 'resources', 'demo', 'bracket.step');
      const log = (s: string) => say(s);
      // Third-party sample parts live outside the repository: MESHBENCH_SAMPLES, else a samples folder beside it.
      const samples = resolve(process.env.MESHBENCH_SAMPLES ?? join(root, '..', 'shared', 'samples'));
      const rows: BenchRow[] = [];
      const section = async (name: Section, title: string, f: () => Promise<BenchRow | BenchRow[]>) => {
        if (!only.has(name)) return;
        say(`\n${title}`);
        try {
          const r = await f();
          rows.push(...(Array.isArray(r) ? r : [r]));
        } catch (e) {
          say(`  failed: ${e instanceof Error ? e.message : String(e)}`);
          rows.push({
            name: title,
            ours: NaN,
            peer: NaN,
            unit: '',
            ratio: NaN,
            ratioLabel: '',
            goal: '',
            met: false,
            note: `failed: ${e instanceof Error ? e.message : String(e)}`,
          });
        }
      };

      await section('a', '(a) meshbench mesh --strategy default vs the same Gmsh argv by hand', async () => {
        const { benchJobVsGmsh } = await import('../../bench/job-bench');
        return benchJobVsGmsh({ cli, part: demo, repeats: o.repeats, log });
      });
      let bigMesh: string | null = null;
      const big = async () => {
        if (!bigMesh) {
          const { ensureBigMesh } = await import('../../bench/big-mesh');
          const { dataHome } = await import('../../util/home');
          bigMesh = await ensureBigMesh(join(dataHome(), 'bench'));
          say(`  mesh: ${bigMesh}`);
        }
        return bigMesh;
      };
      await section('b', '(b) mesh reader vs meshio (in-process read of the same binary msh 4.1)', async () => {
        const { benchReader } = await import('../../bench/reader-bench');
        const r = await benchReader(await big(), o.repeats);
        return {
          name: '(b) msh reader vs meshio',
          ours: r.ours,
          peer: r.meshio,
          unit: 'ms',
          ratio: r.ratio,
          ratioLabel: 'meshio / ours',
          goal: '>= 2',
          met: r.ratio >= 2,
          note: `${fmtNum(r.elements)} elements`,
        };
      });
      await section('c', "(c) quality kernel vs Gmsh's Plugin(AnalyseMeshQuality) on the same mesh", async () => {
        const { benchQuality } = await import('../../bench/quality-bench');
        const r = await benchQuality(await big(), o.repeats);
        return {
          name: '(c) quality kernel vs AnalyseMeshQuality',
          ours: r.ours,
          peer: r.gmsh,
          unit: 'ms',
          ratio: r.ratio,
          ratioLabel: 'gmsh / ours',
          goal: '>= 3',
          met: r.ratio >= 3,
          note: r.note,
        };
      });
      await section('d', '(d) exhaustive policy, all cores vs one', async () => {
        const { benchParallel } = await import('../../bench/job-bench');
        // A real part at the default size: attempts of ~0.3-0.7 s each. (The demo bracket's take ~0.15 s, where
        // process start-up, not meshing, is what the cores share.)
        const angled = join(samples, 'Angled.step');
        return benchParallel({ cli, part: existsSync(angled) ? angled : demo, repeats: o.repeats, log, sizeFactor: 1 });
      });
      await section('target', '(t) --target-elements: count reached vs asked, 10k to 1M', async () => {
        const { benchTargetCount } = await import('../../bench/target-bench');
        const angled = join(samples, 'Angled.step');
        return benchTargetCount({
          cli,
          part: existsSync(angled) ? angled : demo,
          counts: [10_000, 100_000, 1_000_000],
          log,
        });
      });
      await section(
        'export',
        '(e) export writers vs meshio writing the same ~1M-tet mesh (.vtu, .inp; .fluent.msh, which meshio cannot write)',
        async () => {
          const { benchExport } = await import('../../bench/export-bench');
          const { dataHome } = await import('../../util/home');
          const r = await benchExport(join(dataHome(), 'bench'), o.repeats, log);
          return r.map((x) => {
            // The Fluent row has no peer: its time and memory are reported, with no goal.
            const peer = Number.isFinite(x.meshio);
            return {
              name: peer ? `(e) ${x.format} writer vs meshio` : `(e) ${x.format} writer (meshio has no writer)`,
              ours: x.ours,
              peer: x.meshio,
              unit: 'ms',
              ratio: x.ratio,
              ratioLabel: peer ? 'meshio / ours' : '',
              goal: peer ? '>= 2' : 'report',
              met: peer ? x.ratio >= 2 : null,
              note: x.note,
            };
          });
        },
      );
      await section(
        'export-memory',
        '(e5) every export of a >5M-tet mesh: peak memory of the process (goal <= 2 GiB)',
        async () => {
          const { benchExportMemory } = await import('../../bench/export-memory-bench');
          const { dataHome } = await import('../../util/home');
          return benchExportMemory(join(dataHome(), 'bench'), log);
        },
      );
      await section(
        'cascade',
        'Time to an acceptable mesh: adaptive cascade vs plain catalogue order on the hard parts',
        async () => {
          const { benchCascade } = await import('../../bench/cascade-bench');
          return benchCascade({
            cli,
            partsDir: join(root, 'resources', 'hard-parts'),
            repeats: Math.min(o.repeats, 2),
            log,
          });
        },
      );
      // The project's hard parts, and the sample parts when present.
      const partDirs = [join(root, 'resources', 'hard-parts'), ...(existsSync(samples) ? [samples] : [])];
      const hardParts = () =>
        partDirs.flatMap((d) =>
          readdirSync(d)
            .filter((f) => /\.(step|stp)$/i.test(f))
            .sort()
            .map((f) => join(d, f)),
        );
      await section(
        'hardparts',
        '(h) small-features, compound-fillets, compound-slivers, coarse-cusps and netgen alone against the default attempt on the hard parts (and the samples)',
        async () => {
          const { benchHardParts } = await import('../../bench/hardparts-bench');
          return benchHardParts({ cli, parts: hardParts(), log });
        },
      );
      await section(
        'before-after',
        '(h2) time to an acceptable mesh on the hard parts, with and without the model-planned attempts',
        async () => {
          const { benchBeforeAfter } = await import('../../bench/before-after-bench');
          return benchBeforeAfter({ cli, parts: hardParts(), log });
        },
      );
      await section(
        'repair',
        '(r) local repair after the default attempt where it misses SICN 0.1: parent → round 1 → round 2',
        async () => {
          const { benchRepair } = await import('../../bench/repair-bench');
          return benchRepair({ cli, dirs: partDirs, log });
        },
      );
      await section(
        'interfaces',
        '(i) Interface_ groups of a 40-body assembly: TypeScript vs the old .geo loop',
        async () => {
          const { benchInterfaces } = await import('../../bench/interface-bench');
          return benchInterfaces(o.repeats, log);
        },
      );
      await section(
        'layers',
        '(l) 5 prism boundary layers on a ~100k-tet job: time and elements, with vs without',
        async () => {
          const { benchLayers } = await import('../../bench/layers-bench');
          return benchLayers({ cli, part: demo, repeats: o.repeats, log });
        },
      );
      await section('offload', 'Offload on the local stand-in (s3rver + Modal emulator on loopback)', async () => {
        const { benchOffload } = await import('../../bench/offload-bench');
        return benchOffload({ repeats: o.repeats, log });
      });
      await section('preview', 'Preview of small parts: local vs through S3 and the worker', async () => {
        const { benchPreview } = await import('../../bench/preview-bench');
        const parts = [
          demo,
          ...['t20_data.step', 'wrenchnut.stp'].map((f) => join(samples, f)).filter((f) => existsSync(f)),
        ];
        return benchPreview(parts, { repeats: o.repeats, log });
      });
      await section('viewer', 'Viewer and live log in the browser harness (Chromium)', async () => {
        const { benchViewer } = await import('../../bench/viewer-bench');
        const r = await benchViewer({ log });
        return r.map((v) => ({
          name: v.name,
          ours: v.value,
          peer: NaN,
          unit: v.unit,
          ratio: NaN,
          ratioLabel: '',
          goal: v.goal,
          met: v.met,
          note: v.note,
        }));
      });

      if (o.json) printJson(rows);
      const show = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
      say(
        `\n${table(
          ['benchmark', 'ours', 'peer', 'unit', 'ratio', 'goal', 'met'],
          rows.map((r) => [
            r.name,
            show(r.ours),
            show(r.peer),
            r.unit,
            Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)} (${r.ratioLabel})` : '—',
            r.goal,
            r.met === null ? 'n/a' : r.met ? 'yes' : 'NO',
          ]),
        )}`,
      );
      for (const r of rows) if (r.note) say(`  ${r.name}: ${r.note}`);
    });
}
