// A part's CAD model (bodies, faces), read once per input sha256 and Gmsh version and kept in the job store, and
// the user's groups of a part, stored by its sha256 so a re-run or a restart keeps them.
import type { GmshInfo } from '../../contract/api';
import type { UserGroup } from '../../contract/job';
import type { InspectedInput } from '../../input/inspect';
import { readCadModel, type CadModel } from '../../model/read-model';
import type { JobStore } from './store';

export async function partModel(
  store: JobStore,
  gmsh: Pick<GmshInfo, 'path' | 'version'>,
  input: InspectedInput,
  sha256: string,
  fragment: boolean,
  signal?: AbortSignal,
): Promise<CadModel> {
  const key = `model:${gmsh.version}:${fragment ? 'fragmented' : 'apart'}:${sha256}`;
  const cached = store.getSetting<CadModel>(key);
  if (cached) return cached;
  const model = await readCadModel(gmsh.path, input, { signal, fragment });
  store.setSetting(key, model);
  return model;
}

export const partGroups = (store: JobStore, sha256: string): UserGroup[] =>
  store.getSetting<UserGroup[]>(`groups:${sha256}`) ?? [];
export const setPartGroups = (store: JobStore, sha256: string, groups: UserGroup[]) =>
  store.setSetting(`groups:${sha256}`, groups.length ? groups : null);
