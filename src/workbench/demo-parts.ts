// The demo parts the start screen offers: the project's own parts (resources/demo, written by the .geo scripts
// beside them), from the packaged app's resources or the checkout.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../gmsh/locate';

const DEMOS: { file: string; description: string }[] = [
  { file: 'bracket.step', description: 'An L-shaped mounting bracket: bolt holes, a slot and a rib (STEP)' },
  { file: 'assembly.step', description: 'Three touching solids: two boxes and a cylinder (STEP assembly)' },
  { file: 'knob.stl', description: 'A control knob as a triangulated surface (STL route)' },
];

/** The demo parts found, each with its path and what it shows. */
export function demoParts(resourcesPath?: string): { path: string; name: string; description: string }[] {
  const dirs = [
    ...(resourcesPath ? [join(resourcesPath, 'demo')] : []),
    ...[projectRoot()].filter((r): r is string => !!r).map((r) => join(r, 'resources', 'demo')),
  ];
  const dir = dirs.find((d) => existsSync(d));
  if (!dir) return [];
  return DEMOS.filter((d) => existsSync(join(dir, d.file))).map((d) => ({
    path: join(dir, d.file),
    name: d.file,
    description: d.description,
  }));
}
