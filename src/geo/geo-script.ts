// The .geo script an attempt runs: Gmsh opens this file, never the user's path. It merges the staged input by its
// bare name (Gmsh resolves it beside the script), sets options, adds geometry and size fields, and defines the
// physical groups, so `attempts[].argv` plus this file replay the attempt by hand.
//
// A small builder with ordered sections, so later steps (size fields, fragmentation, local refinement) add their
// statements without knowing about each other. Only the builder's typed helpers produce Gmsh text: names, numbers
// and file names are checked here, and nothing a user typed is pasted in unchecked.

/** Sections in the order Gmsh must see them. */
const GEO_SECTIONS = [
  /** SetFactory and options read while importing (Geometry.OCC*): before the Merge. */
  'import',
  /** Merge of the staged input. */
  'merge',
  /** Geometry built on the merged model (STL classification, fragments, ...). */
  'geometry',
  /** Mesh.* and other options that apply when meshing. */
  'options',
  /** Size fields. */
  'fields',
  /** Physical groups. */
  'physicals',
  /** Commands run once the model is defined (meshing and optimising inside the script, then saving). */
  'actions',
] as const;
export type GeoSection = (typeof GEO_SECTIONS)[number];

const OPTION_NAME = /^(General|Geometry|Mesh)\.[A-Za-z][A-Za-z0-9]*$/;
const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIM_KEYWORD = ['Point', 'Curve', 'Surface', 'Volume'] as const;

export class GeoScriptError extends Error {
  override name = 'GeoScriptError';
}

/** A number as Gmsh reads it (12 significant digits, no exponent surprises for integers). */
export function geoNumber(v: number): string {
  if (!Number.isFinite(v)) throw new GeoScriptError(`not a finite number: ${v}`);
  return String(Number(v.toPrecision(12)));
}

/** A quoted string: only the characters group and option values need; anything else is refused, not escaped. */
export function geoString(s: string): string {
  if (!/^[A-Za-z0-9_ .,:+-]{0,200}$/.test(s))
    throw new GeoScriptError(`refusing to put "${s.slice(0, 40)}" into a Gmsh script`);
  return `"${s}"`;
}

export function geoList(tags: readonly number[]): string {
  for (const t of tags) if (!Number.isInteger(t) || t < 0) throw new GeoScriptError(`not an entity tag: ${t}`);
  return `{${tags.join(', ')}}`;
}

export class GeoScript {
  private readonly sections = new Map<GeoSection, string[]>(GEO_SECTIONS.map((s) => [s, []]));

  /** A statement the caller built from this module's helpers (geoNumber, geoString, geoList). */
  add(section: GeoSection, statement: string): this {
    this.sections
      .get(section)!
      .push(
        statement.endsWith(';') || /^(For|EndFor|If|EndIf|Else)\b/.test(statement.trimStart())
          ? statement
          : `${statement};`,
      );
    return this;
  }

  factory(kind: 'OpenCASCADE' | 'Built-in'): this {
    return this.add('import', `SetFactory(${geoString(kind)})`);
  }

  /** Merge a file that sits beside the script, by bare name. */
  merge(fileName: string): this {
    if (!FILE_NAME.test(fileName))
      throw new GeoScriptError(`the staged input must have a plain file name, not "${fileName.slice(0, 60)}"`);
    return this.add('merge', `Merge ${geoString(fileName)}`);
  }

  /** `Name = value;`. Geometry.* options go before the Merge (they steer the import), the rest after it. */
  option(name: string, value: number | string): this {
    if (!OPTION_NAME.test(name)) throw new GeoScriptError(`not a Gmsh option name: "${name.slice(0, 60)}"`);
    const section: GeoSection = name.startsWith('Geometry.') ? 'import' : 'options';
    return this.add(section, `${name} = ${typeof value === 'number' ? geoNumber(value) : geoString(value)}`);
  }

  /** `Physical Volume("name", tag) = {entities};` (dim 3), Surface (2), ... */
  physical(dim: 0 | 1 | 2 | 3, name: string, tag: number, entities: readonly number[]): this {
    if (!GROUP_NAME.test(name)) throw new GeoScriptError(`not a valid group name: "${name.slice(0, 70)}"`);
    if (!Number.isInteger(tag) || tag <= 0) throw new GeoScriptError(`not a physical tag: ${tag}`);
    return this.add('physicals', `Physical ${DIM_KEYWORD[dim]}(${geoString(name)}, ${tag}) = ${geoList(entities)}`);
  }

  /** One physical group per entity of a dimension, `<prefix><tag>`, numbered `base` + the entity's tag (all of them). */
  physicalPerEntity(dim: 2 | 3, prefix: string, base: number): this {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,40}$/.test(prefix))
      throw new GeoScriptError(`not a valid group prefix: "${prefix}"`);
    const kw = DIM_KEYWORD[dim];
    const v = `mbEnt${dim}`;
    return this.add('physicals', `${v}[] = ${kw}{:};`)
      .add('physicals', `For mbI In {0:#${v}[]-1}`)
      .add(
        'physicals',
        `  Physical ${kw}(Sprintf("${prefix}%g", ${v}[mbI]), ${geoNumber(base)} + ${v}[mbI]) = {${v}[mbI]};`,
      )
      .add('physicals', 'EndFor');
  }

  /** `Physical Curve("name", tag) = Curve{:};`: every entity of the dimension in one group. */
  physicalAll(dim: 0 | 1 | 2 | 3, name: string, tag: number): this {
    if (!GROUP_NAME.test(name)) throw new GeoScriptError(`not a valid group name: "${name.slice(0, 70)}"`);
    if (!Number.isInteger(tag) || tag <= 0) throw new GeoScriptError(`not a physical tag: ${tag}`);
    const kw = DIM_KEYWORD[dim];
    return this.add('physicals', `Physical ${kw}(${geoString(name)}, ${tag}) = ${kw}{:}`);
  }

  text(): string {
    const out: string[] = ['// Generated by MeshBench for one attempt; run it with the argv recorded beside it.'];
    for (const s of GEO_SECTIONS) out.push(...this.sections.get(s)!);
    return `${out.join('\n')}\n`;
  }
}
