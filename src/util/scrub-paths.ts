// Messages never carry an internal folder: an attempt's work folder (the data folder's work/<job>, or the Modal
// worker's temp folder) is where Gmsh and the reader ran, not something an engineer can use. Files in it are named
// bare ("attempt-0-default.msh: no $Nodes section").
import { realpathSync } from 'node:fs';
import { sep } from 'node:path';

export function withoutFolders(text: string, dirs: readonly string[]): string {
  let out = text;
  for (const d of dirs) {
    let real = d;
    try {
      real = realpathSync(d);
    } catch {
      /* gone already: the name as given */
    }
    for (const v of new Set([d, real].map((x) => x.replace(/[\\/]+$/, ''))))
      if (v)
        out = out
          .split(v + sep)
          .join('')
          .split(v)
          .join('.');
  }
  return out;
}
