// The one writer of Gmsh's script language. Every script MeshBench hands Gmsh (an attempt, the model read, the
// preview) is built here through typed methods, in ordered sections, so later steps (size fields, fragments, groups)
// add their statements without knowing about each other. There is no way to add raw text from outside this folder:
// names, numbers and file names are checked here, and nothing a user typed reaches Gmsh unchecked (the lint rule
// `no-restricted-syntax` keeps Gmsh script text out of every other module).

/** Sections in the order Gmsh must see them. */
const GEO_SECTIONS = [
  /** SetFactory and options read while importing (Geometry.OCC*): before the Merge. */
  'import',
  /** Merge of the staged input. */
  'merge',
  /** Geometry built on the merged model (STL classification, fragments). */
  'geometry',
  /** Mesh.* and other options that apply when meshing. */
  'options',
  /** Size fields. */
  'fields',
  /** Physical groups. */
  'physicals',
  /** Commands run once the model is defined (reports, meshing and optimising inside the script, then saving). */
  'actions',
] as const;
type GeoSection = (typeof GEO_SECTIONS)[number];

const OPTION_NAME = /^(General|Geometry|Mesh)\.[A-Za-z][A-Za-z0-9]*$/;
const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIM_KEYWORD = ['Point', 'Curve', 'Surface', 'Volume'] as const;

export class GeoScriptError extends Error {
  override name = 'GeoScriptError';
}

/** A number as Gmsh reads it (12 significant digits, no exponent surprises for integers). */
function geoNumber(v: number): string {
  if (!Number.isFinite(v)) throw new GeoScriptError(`not a finite number: ${v}`);
  return String(Number(v.toPrecision(12)));
}

/** A quoted string: only the characters group and option values need; anything else is refused, not escaped. */
function geoString(s: string): string {
  if (!/^[A-Za-z0-9_ .,:+-]{0,200}$/.test(s))
    throw new GeoScriptError(`refusing to put "${s.slice(0, 40)}" into a Gmsh script`);
  return `"${s}"`;
}

/**
 * A number inside a MathEval expression: in parentheses (`x--9.4` is an invalid expression, and Gmsh then makes no
 * volume mesh) and without an exponent.
 */
function mathNumber(v: number): string {
  const s = geoNumber(v);
  const plain = /e/i.test(s)
    ? Number(s)
        .toFixed(20)
        .replace(/\.?0+$/, '')
    : s;
  return `(${plain})`;
}

function geoList(tags: readonly number[]): string {
  for (const t of tags) if (!Number.isInteger(t) || t < 0) throw new GeoScriptError(`not an entity tag: ${t}`);
  return `{${tags.join(', ')}}`;
}

function fileName(name: string, what: string): string {
  if (!FILE_NAME.test(name))
    throw new GeoScriptError(`${what} must have a plain file name, not "${name.slice(0, 60)}"`);
  return geoString(name);
}

function groupName(name: string): string {
  if (!GROUP_NAME.test(name)) throw new GeoScriptError(`not a valid group name: "${name.slice(0, 70)}"`);
  return geoString(name);
}

function physicalTag(tag: number): string {
  if (!Number.isInteger(tag) || tag <= 0) throw new GeoScriptError(`not a physical tag: ${tag}`);
  return String(tag);
}

/** A size field (Gmsh's Field[] objects), typed by kind; `field()` numbers them in order from 1. */
export type GeoField =
  /** Distance from faces, or from the boundary of bodies. */
  | { kind: 'Distance'; surfaces: readonly number[] }
  | { kind: 'Distance'; boundaryOfVolumes: readonly number[] }
  /** Distance from curves, sampled at `samples` points along each (enough that a short curve's ramp stays round). */
  | { kind: 'Distance'; curves: readonly number[]; samples: number }
  /** A size ramping from sizeMin within distMin of `inField` to sizeMax beyond distMax. */
  | { kind: 'Threshold'; inField: number; sizeMin: number; sizeMax: number; distMin: number; distMax: number }
  /** `size` within `radius` of `centre`, growing by `slope` per unit of distance beyond it, up to `far` (MathEval). */
  | {
      kind: 'Ball';
      centre: readonly [number, number, number];
      radius: number;
      size: number;
      slope: number;
      far: number;
    }
  /** One size everywhere (MathEval of a constant). */
  | { kind: 'Constant'; size: number }
  /** `inField` inside the given bodies (and on their boundary) only. */
  | { kind: 'Restrict'; inField: number; volumes: readonly number[] }
  /** The smallest of several fields. */
  | { kind: 'Min'; fields: readonly number[] };

export class GeoScript {
  private readonly sections = new Map<GeoSection, string[]>(GEO_SECTIONS.map((s) => [s, []]));
  private fields = 0;

  private add(section: GeoSection, statement: string): this {
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
  merge(file: string): this {
    return this.add('merge', `Merge ${fileName(file, 'the staged input')}`);
  }

  /** `Name = value;`. Geometry.* options go before the Merge (they steer the import), the rest after it. */
  option(name: string, value: number | string): this {
    if (!OPTION_NAME.test(name)) throw new GeoScriptError(`not a Gmsh option name: "${name.slice(0, 60)}"`);
    const section: GeoSection = name.startsWith('Geometry.') ? 'import' : 'options';
    return this.add(section, `${name} = ${typeof value === 'number' ? geoNumber(value) : geoString(value)}`);
  }

  /**
   * An STL's triangles into CAD-like surfaces: split where neighbouring triangles turn by more than `angleRad`,
   * rebuilt as geometry, and closed into volume 1.
   */
  classifySurfaces(angleRad: number, forceParametrizablePatches: boolean): this {
    return this.add(
      'geometry',
      `ClassifySurfaces{${geoNumber(angleRad)}, 1, ${forceParametrizablePatches ? 1 : 0}, ${geoNumber(Math.PI)}}`,
    )
      .add('geometry', 'CreateGeometry')
      .add('geometry', 'Surface Loop(1) = Surface{:}')
      .add('geometry', 'Volume(1) = {1}');
  }

  /** Touching solids made conformal (OpenCASCADE BooleanFragments, bodies keep their tags), when there are several. */
  fragmentSolids(): this {
    return this.add('geometry', 'mbBodies[] = Volume{:}')
      .add('geometry', 'If (#mbBodies[] > 1)')
      .add('geometry', 'mbFragments[] = BooleanFragments{ Volume{mbBodies[]}; Delete; }{}')
      .add('geometry', 'EndIf');
  }

  /** Faces meshed as one patch (`Compound Surface`; each keeps its tag and gets its own triangles back). */
  compoundSurface(tags: readonly number[]): this {
    return this.add('geometry', `Compound Surface${geoList(tags)}`);
  }

  /** The element size at CAD points (`MeshSize{…}`; Gmsh multiplies it by -clscale like every size). */
  pointSize(tags: readonly number[], size: number): this {
    return this.add('geometry', `MeshSize${geoList(tags)} = ${geoNumber(size)}`);
  }

  /** Adds a size field; returns its number. */
  field(f: GeoField): number {
    const id = ++this.fields;
    const F = `Field[${id}]`;
    const set = (key: string, value: string) => this.add('fields', `${F}.${key} = ${value}`);
    const boundary = (volumes: readonly number[]) => {
      this.add('fields', `mbSz${id}[] = Abs(Boundary{Volume${geoList(volumes)};})`);
      return `{mbSz${id}[]}`;
    };
    switch (f.kind) {
      case 'Distance': {
        this.add('fields', `${F} = Distance`);
        if ('curves' in f) {
          set('CurvesList', geoList(f.curves));
          set('NumPointsPerCurve', geoNumber(Math.max(2, Math.round(f.samples))));
        } else set('SurfacesList', 'surfaces' in f ? geoList(f.surfaces) : boundary(f.boundaryOfVolumes));
        break;
      }
      case 'Threshold':
        this.add('fields', `${F} = Threshold`);
        set('InField', this.fieldRef(f.inField));
        set('SizeMin', geoNumber(f.sizeMin));
        set('SizeMax', geoNumber(f.sizeMax));
        set('DistMin', geoNumber(f.distMin));
        set('DistMax', geoNumber(f.distMax));
        break;
      case 'Ball': {
        const [cx, cy, cz] = f.centre.map(mathNumber);
        const d = `Sqrt((x-${cx})^2+(y-${cy})^2+(z-${cz})^2)`;
        const [far, size, slope, radius] = [f.far, f.size, f.slope, f.radius].map(mathNumber);
        this.add('fields', `${F} = MathEval`);
        set('F', `"Min(${far}, ${size} + ${slope}*Max(0, ${d} - ${radius}))"`);
        break;
      }
      case 'Constant':
        this.add('fields', `${F} = MathEval`);
        set('F', `"${geoNumber(f.size)}"`);
        break;
      case 'Restrict': {
        const surfaces = boundary(f.volumes);
        this.add('fields', `${F} = Restrict`);
        set('InField', this.fieldRef(f.inField));
        set('VolumesList', geoList(f.volumes));
        set('SurfacesList', surfaces);
        break;
      }
      case 'Min':
        this.add('fields', `${F} = Min`);
        set('FieldsList', geoList(f.fields.map((x) => Number(this.fieldRef(x)))));
        break;
    }
    return id;
  }

  /**
   * Small elements around every CAD point: `sizes[0]` of the model's diagonal at the point growing linearly to
   * `sizes[1]` of it within `reach` diagonals (relative to the part, which the script measures itself: the model read
   * runs before anything knows the part's size). A surface mesh so sized has its first triangles at a vertex along
   * the curves' tangents, so their angles there sum to the face's corner angle. The ramp must be gentle (a slope well
   * under 1) or the curves' 1D mesh steps over it.
   */
  sizeAtPoints(sizes: [number, number], reach: number): this {
    const id = ++this.fields;
    const span = ['X', 'Y', 'Z'].map((a) => `(General.Max${a} - General.Min${a})^2`).join(' + ');
    return this.add('fields', `mbDiag = Sqrt(${span})`)
      .add('fields', 'mbPts[] = Point{:}')
      .add('fields', `Field[${id}] = Distance`)
      .add('fields', `Field[${id}].PointsList = {mbPts[]}`)
      .add('fields', `Field[${id + 1}] = Threshold`)
      .add('fields', `Field[${id + 1}].InField = ${id}`)
      .add('fields', `Field[${id + 1}].SizeMin = ${geoNumber(sizes[0])} * mbDiag`)
      .add('fields', `Field[${id + 1}].SizeMax = ${geoNumber(sizes[1])} * mbDiag`)
      .add('fields', `Field[${id + 1}].DistMin = 0`)
      .add('fields', `Field[${id + 1}].DistMax = ${geoNumber(reach)} * mbDiag`)
      .add('fields', `Background Field = ${++this.fields}`);
  }

  /** The field Gmsh sizes the mesh by. */
  backgroundField(id: number): this {
    return this.add('fields', `Background Field = ${this.fieldRef(id)}`);
  }

  private fieldRef(id: number): string {
    if (!Number.isInteger(id) || id < 1 || id > this.fields) throw new GeoScriptError(`no field ${id}`);
    return String(id);
  }

  /** `Physical Volume("name", tag) = {entities};` (dim 3), Surface (2), ... */
  physical(dim: 0 | 1 | 2 | 3, name: string, tag: number, entities: readonly number[]): this {
    return this.add(
      'physicals',
      `Physical ${DIM_KEYWORD[dim]}(${groupName(name)}, ${physicalTag(tag)}) = ${geoList(entities)}`,
    );
  }

  /** `Physical Curve("name", tag) = Curve{:};`: every entity of the dimension in one group. */
  physicalAll(dim: 0 | 1 | 2 | 3, name: string, tag: number): this {
    const kw = DIM_KEYWORD[dim];
    return this.add('physicals', `Physical ${kw}(${groupName(name)}, ${physicalTag(tag)}) = ${kw}{:}`);
  }

  /**
   * One physical group per entity of a dimension, `<prefix><tag>` numbered `base` + the entity's tag: for a model
   * whose entities exist only inside Gmsh (an STL's surfaces after classification). One pass, no pairs.
   */
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

  /**
   * Writes one line per body, face and curve to `file` beside the script: `<dim> <tag> <volume, area or length>
   * <centroid x y z>` (OpenCASCADE's exact mass properties; read by `parseMassReport`). One pass over each dimension.
   * And one line `box <min x y z> <max x y z>`: the model's bounding box, the part's size that sizes are checked
   * against (Gmsh's default element size is a tenth of its diagonal).
   */
  massReport(file: string): this {
    const out = fileName(file, 'the report');
    const g = (c: string) => ['X', 'Y', 'Z'].map((a) => `General.${c}${a}`).join(', ');
    this.add('actions', `Printf("box${' %.17g'.repeat(6)}", ${g('Min')}, ${g('Max')}) >> ${out}`);
    for (const [dim, kw] of [
      [3, 'Volume'],
      [2, 'Surface'],
      [1, 'Curve'],
    ] as const) {
      const v = `mbE${dim}`;
      this.add('actions', `${v}[] = ${kw}{:}`)
        .add('actions', `For mbI In {0:#${v}[]-1}`)
        .add('actions', `mbC[] = CenterOfMass ${kw}{${v}[mbI]}`)
        .add(
          'actions',
          `Printf("${dim} %g %.17g %.17g %.17g %.17g", ${v}[mbI], Mass ${kw}{${v}[mbI]}, mbC[0], mbC[1], mbC[2]) >> ${out}`,
        )
        .add('actions', 'EndFor');
    }
    return this;
  }

  /** Meshes the model up to `dim` inside the script. */
  mesh(dim: 2 | 3): this {
    return this.add('actions', `Mesh ${dim}`);
  }

  /** Makes the mesh quadratic inside the script: edge midpoints placed on the CAD curves and faces. */
  secondOrder(): this {
    return this.add('actions', 'SetOrder 2');
  }

  /** Runs one of Gmsh's mesh optimisers on the mesh made by `mesh(3)`. */
  optimize(method: 'Relocate3D' | 'Netgen'): this {
    return this.add('actions', `OptimizeMesh ${geoString(method)}`);
  }

  /** Saves the mesh beside the script, by bare name. */
  save(file: string): this {
    return this.add('actions', `Save ${fileName(file, 'the mesh')}`);
  }

  text(): string {
    const out: string[] = ['// Generated by MeshBench; run it with the argv recorded beside it.'];
    for (const s of GEO_SECTIONS) out.push(...this.sections.get(s)!);
    return `${out.join('\n')}\n`;
  }
}

/** The `massReport`'s bounding box as its diagonal (the part's size), or 0 when the report has none. */
export function parseReportDiagonal(text: string): number {
  const f = /^box((?: \S+){6})$/m.exec(text)?.[1].trim().split(' ').map(Number) ?? [];
  const d = f.length === 6 ? Math.hypot(f[3] - f[0], f[4] - f[1], f[5] - f[2]) : 0;
  return Number.isFinite(d) ? d : 0;
}

/** Parses `massReport` lines: bodies (dim 3), faces (2) and curves (1) with their volume, area or length and centroid. */
export function parseMassReport(
  text: string,
): { dim: 1 | 2 | 3; tag: number; mass: number; centroid: [number, number, number] }[] {
  const out: { dim: 1 | 2 | 3; tag: number; mass: number; centroid: [number, number, number] }[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/).map(Number);
    if (f.length !== 6 || ![1, 2, 3].includes(f[0]) || f.some((x) => !Number.isFinite(x))) continue;
    out.push({ dim: f[0] as 1 | 2 | 3, tag: f[1], mass: f[2], centroid: [f[3], f[4], f[5]] });
  }
  return out;
}
