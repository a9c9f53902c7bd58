import type { Command } from 'commander';
import { findGmsh } from '../../gmsh/locate';
import { inspectInput } from '../../input/inspect';
import { readCadModel } from '../../model/read-model';
import { fmtNum, table } from '../format';
import { fail, printJson, say } from '../io';

const vec = (v: readonly number[] | null) => (v ? v.map((c) => fmtNum(Number(c.toPrecision(6)), 4)).join(', ') : '—');

export function register(program: Command) {
  program
    .command('faces')
    .description("list a CAD part's faces (tag, area, centroid, outward normal) and bodies, to choose groups")
    .argument('<part>', 'a STEP, IGES or BREP file')
    .option('--json', 'print {unit, bodies, faces} as JSON')
    .action(async (part: string, o) => {
      try {
        const model = await readCadModel(findGmsh().path, inspectInput(part));
        if (o.json) {
          printJson(model);
          return;
        }
        const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
        say(
          `${part}: ${n(model.bodies.length, 'body', 'bodies')}, ${n(model.faces.length, 'face', 'faces')} (lengths in ${model.unit})`,
        );
        say(
          table(
            ['body', 'name', 'volume', 'centroid', 'faces'],
            model.bodies.map((b) => [
              b.tag,
              b.label ?? '—',
              fmtNum(Number(b.volume.toPrecision(6)), 3),
              vec(b.centroid),
              b.faces.length,
            ]),
          ),
        );
        say(
          table(
            ['face', 'area', 'centroid', 'normal', 'bodies'],
            model.faces.map((f) => [
              f.tag,
              fmtNum(Number(f.area.toPrecision(6)), 3),
              vec(f.centroid),
              vec(f.normal),
              f.bodies.join(','),
            ]),
          ),
        );
        say('Group them with: meshbench mesh PART --group NAME=face:3,7 --group NAME=body:1');
      } catch (e) {
        fail(e);
      }
    });
}
