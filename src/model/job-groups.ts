// The groups a job writes: one per body (named from the CAD's label when it has one, else Body_<tag>), one per
// face (Face_<tag>), one per pair of touching bodies (Interface_<a>_<b>, when the bodies are fragmented) and the
// user's own, each checked against the model so a typo fails before any meshing. The attempt script writes them as
// literal lists.
import { LOWER_DIM_GROUPS, PHYSICAL_BASE, PHYSICAL_SPAN } from '../contract/groups';
import type { GroupSpec, UserGroup } from '../contract/job';
import { ConfigError } from '../util/errors';
import { groupNameProblem, sanitizeGroupName } from './group-names';
import type { CadModel } from './read-model';
import { sharedFaces } from './touching';

/** `interfaces`: the model was read fragmented, as the attempts mesh it (touching bodies share their faces). */
export function jobGroups(
  model: CadModel,
  user: readonly UserGroup[] = [],
  opts: { interfaces: boolean } = { interfaces: true },
): GroupSpec[] {
  const out: GroupSpec[] = [];
  // (the curve and point groups every attempt adds keep their names: a body labelled "Curves" becomes Curves_<tag>)
  const taken = new Set<string>(LOWER_DIM_GROUPS.map((g) => g.name));
  const tooMany = model.faces.find((f) => f.tag >= PHYSICAL_SPAN) ?? (user.length >= PHYSICAL_SPAN ? user[0] : null);
  if (tooMany)
    throw new ConfigError(
      'invalid-group',
      `The part has more faces or groups than MeshBench numbers (${PHYSICAL_SPAN}).`,
    );
  const claim = (name: string, tag: number) => {
    const n = taken.has(name) ? `${name.slice(0, 60)}_${tag}` : name;
    taken.add(n);
    return n;
  };
  for (const b of model.bodies) {
    const fallback = `Body_${b.tag}`;
    const name = claim(b.label ? sanitizeGroupName(b.label, fallback) : fallback, b.tag);
    out.push({ name, label: b.label ?? name, dim: 3, tags: [b.tag], physical: PHYSICAL_BASE.body + b.tag });
  }
  for (const f of model.faces)
    out.push({
      name: claim(`Face_${f.tag}`, f.tag),
      label: `Face_${f.tag}`,
      dim: 2,
      tags: [f.tag],
      physical: PHYSICAL_BASE.face + f.tag,
    });
  if (opts.interfaces)
    sharedFaces(model.bodies).forEach(({ a, b, faces }, k) => {
      const name = claim(`Interface_${a}_${b}`, k + 1);
      out.push({ name, label: name, dim: 2, tags: faces, physical: PHYSICAL_BASE.interface + k + 1 });
    });
  user.forEach((g, i) => {
    const problem = groupNameProblem(g.name);
    if (problem) throw new ConfigError('invalid-group', `Group "${g.name}": ${problem}.`);
    if (taken.has(g.name))
      throw new ConfigError(
        'invalid-group',
        `Group "${g.name}": the name is already used by another group.`,
        'Choose another name.',
      );
    taken.add(g.name);
    const known = new Set((g.dim === 3 ? model.bodies : model.faces).map((e) => e.tag));
    const missing = g.tags.filter((t) => !known.has(t));
    if (!g.tags.length)
      throw new ConfigError('invalid-group', `Group "${g.name}" names no ${g.dim === 3 ? 'body' : 'face'}.`);
    if (missing.length)
      throw new ConfigError(
        'invalid-group',
        `Group "${g.name}": the part has no ${g.dim === 3 ? 'body' : 'face'} ${missing.join(', ')} (it has ${g.dim === 3 ? 'bodies' : 'faces'} ${describeTags([...known])}).`,
        'List them with: meshbench faces PART',
      );
    out.push({
      name: g.name,
      label: g.name,
      dim: g.dim,
      tags: [...new Set(g.tags)].sort((a, b) => a - b),
      physical: PHYSICAL_BASE.user + i + 1,
    });
  });
  return out;
}

function describeTags(tags: number[]): string {
  if (!tags.length) return 'none';
  const s = [...tags].sort((a, b) => a - b);
  const contiguous = s.every((t, i) => i === 0 || t === s[i - 1] + 1);
  return contiguous && s.length > 2 ? `${s[0]}-${s.at(-1)}` : s.join(', ');
}

/** `NAME=face:3,7,12` or `NAME=body:1` (the CLI's --group). */
export function parseGroupFlag(text: string): UserGroup {
  const m = /^([^=]+)=(face|body):([\d,\s]+)$/.exec(text.trim());
  if (!m) throw new ConfigError('invalid-group', `--group "${text}": expected NAME=face:3,7,12 or NAME=body:1.`);
  const tags = m[3]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (!tags.length || tags.some((t) => !Number.isInteger(t) || t <= 0))
    throw new ConfigError('invalid-group', `--group "${text}": entity tags are whole numbers from 1.`);
  const name = m[1].trim();
  const problem = groupNameProblem(name);
  if (problem) throw new ConfigError('invalid-group', `--group "${text}": ${problem}.`);
  return { name, dim: m[2] === 'body' ? 3 : 2, tags };
}
