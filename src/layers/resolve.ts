// A job's `--layers` requests to CAD faces, once, when the job is planned: a bad name, a body, an STL or a quadratic
// mesh fails the job before Gmsh meshes, with the names that would work. Names are the job's own groups (Face_<n>,
// Interface_<a>_<b>, the user's) or CAD tags (face:3,7).
import type { AttemptLayers } from '../contract/attempt';
import type { GroupSpec, InputFormat, MeshSettings } from '../contract/job';
import { parseSizeTarget } from '../contract/size-target';
import { ConfigError } from '../util/errors';
import { checkLayerRequests } from './inflate';

/**
 * `groups`: the job's groups (from the part's model); undefined when the model could not be read, then Face_<n>,
 * face:… and the user's groups still resolve, unchecked against the part.
 */
export function resolveLayers(
  settings: MeshSettings,
  format: InputFormat,
  groups: readonly GroupSpec[] | undefined,
): AttemptLayers | undefined {
  const requests = settings.layers ?? [];
  if (!requests.length) return undefined;
  if (format.startsWith('stl'))
    throw new ConfigError(
      'invalid-layers',
      '--layers: an STL file has no CAD faces to grow layers from (its faces exist only after classification).',
      'Give the part as STEP, IGES or BREP.',
    );
  if (settings.elementOrder === 2)
    throw new ConfigError(
      'invalid-layers',
      '--layers needs linear elements: the layers are grown into a linear tetrahedral mesh.',
      'Use --order 1.',
    );
  checkLayerRequests(requests);
  const known = groups ? new Set(groups.filter((g) => g.dim === 2).flatMap((g) => g.tags)) : null;
  const resolved = requests.map((r) => {
    const named = /^face:/.test(r.target) ? undefined : groups?.find((g) => g.name === r.target);
    const t = named ?? parseSizeTarget(r.target, settings.groups);
    if (t?.dim === 3)
      throw new ConfigError(
        'invalid-layers',
        `--layers ${r.target}: names a body; layers grow from faces.`,
        'Name a face group: Face_<n>, face:3,7, an Interface_<a>_<b> or one of your face groups.',
      );
    if (!t) {
      const names = (groups ?? []).filter((g) => g.dim === 2 && !/^Face_\d+$/.test(g.name)).map((g) => g.name);
      throw new ConfigError(
        'unknown-group',
        `--layers ${r.target}: there is no face group named "${r.target}".`,
        `Use Face_<n>, face:3,7 (meshbench faces PART lists them)${names.length ? ` or one of ${names.join(', ')}` : ''}.`,
      );
    }
    const missing = known ? t.tags.filter((f) => !known.has(f)) : [];
    if (missing.length)
      throw new ConfigError(
        'invalid-layers',
        `--layers ${r.target}: the part has no face ${missing.join(', ')}.`,
        'List them with: meshbench faces PART',
      );
    return { ...r, faces: [...new Set(t.tags)].sort((a, b) => a - b) };
  });
  return { groups: resolved, minSicn: settings.targets.minSicn };
}
