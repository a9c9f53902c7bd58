// A part's CAD model (bodies, faces), read once per input sha256 and Gmsh version and kept in the job store, and
// the user's groups of a part, stored by its sha256 so a re-run or a restart keeps them.
import type { GmshInfo } from '../../contract/api';
import type { UserGroup } from '../../contract/job';
import type { InspectedInput } from '../../input/inspect';
import { readCadModel, type CadModel } from '../../model/read-model';
import { setting, readSetting, writeSetting } from '../../util/settings';
import type { JobStore } from './store';

/** A cached model written by an older version in another shape reads as a miss, and is read again. */
const modelSetting = (key: string) =>
  setting<CadModel>(key, (z) => {
    const vec = z.tuple([z.number(), z.number(), z.number()]);
    const tags = z.array(z.number());
    const box = z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.number()]);
    return z.object({
      unit: z.literal('mm'),
      diagonal: z.number(), // the part's size: models stored before it read as a miss
      bodies: z.array(
        z.object({ tag: z.number(), label: z.string().nullable(), volume: z.number(), centroid: vec, faces: tags }),
      ),
      faces: z.array(
        z.object({
          tag: z.number(),
          area: z.number(),
          centroid: vec,
          normal: vec.nullable(),
          bodies: tags,
          curves: tags, // the topology: models stored before it read as a miss
          box,
          width: z.number().nullable(),
        }),
      ),
      curves: z.array(z.object({ tag: z.number(), length: z.number(), centroid: vec, points: tags, box })),
      vertices: z.array(z.object({ tag: z.number(), xyz: vec })),
      corners: z.array(z.object({ face: z.number(), vertex: z.number(), curves: tags, angle: z.number() })),
      faceAngles: z.array(z.object({ faces: z.tuple([z.number(), z.number()]), angle: z.number() })),
    });
  });
const groupsSetting = (sha256: string) =>
  setting<UserGroup[]>(`groups:${sha256}`, (z) =>
    z.array(z.object({ name: z.string(), dim: z.union([z.literal(2), z.literal(3)]), tags: z.array(z.number()) })),
  );

export async function partModel(
  store: JobStore,
  gmsh: Pick<GmshInfo, 'path' | 'version'>,
  input: InspectedInput,
  sha256: string,
  fragment: boolean,
  signal?: AbortSignal,
): Promise<CadModel> {
  const cache = modelSetting(`model:${gmsh.version}:${fragment ? 'fragmented' : 'apart'}:${sha256}`);
  const cached = readSetting(store, cache);
  if (cached) return cached;
  const model = await readCadModel(gmsh.path, input, { signal, fragment });
  writeSetting(store, cache, model);
  return model;
}

export const partGroups = (store: JobStore, sha256: string): UserGroup[] =>
  readSetting(store, groupsSetting(sha256)) ?? [];
export const setPartGroups = (store: JobStore, sha256: string, groups: UserGroup[]) =>
  writeSetting(store, groupsSetting(sha256), groups.length ? groups : null);
