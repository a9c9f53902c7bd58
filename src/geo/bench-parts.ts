// The parts `meshbench bench` makes for itself, as Gmsh scripts (OpenCASCADE), and the one script kept only as a
// baseline: the interface search the attempt scripts ran before it moved to TypeScript. Fixed geometry with numbers
// from the benches; no user text goes in.

const n = (v: number) => {
  if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
  return String(Number(v.toPrecision(12)));
};

/**
 * A unit box with a cylindrical hole (curved and flat faces, one volume) at a uniform size. With `groups`: one
 * physical group for the body and one per face, numbered as the attempts number them (src/contract/groups.ts).
 */
export function boxMinusCylinderScript(size: number, groups?: { bodyBase: number; faceBase: number }): string {
  const lines = [
    'SetFactory("OpenCASCADE");',
    'Box(1) = {0, 0, 0, 1, 1, 1};',
    'Cylinder(2) = {0.5, 0.5, -0.5, 0, 0, 2, 0.25};',
    'BooleanDifference{ Volume{1}; Delete; }{ Volume{2}; Delete; }',
    `Mesh.MeshSizeMin = ${n(size)};`,
    `Mesh.MeshSizeMax = ${n(size)};`,
  ];
  if (groups)
    lines.push(
      `Physical Volume("Body_1", ${n(groups.bodyBase + 1)}) = {1};`,
      's[] = Surface{:};',
      'For i In {0:#s[]-1}',
      `  Physical Surface(Sprintf("Face_%g", s[i]), ${n(groups.faceBase)} + s[i]) = {s[i]};`,
      'EndFor',
    );
  return `${lines.join('\n')}\n`;
}

/** A 40×40×2 plate with 16×16 through holes: exported as STEP it is a real ~1 MB CAD file. */
export function perforatedPlateScript(): string {
  return [
    'SetFactory("OpenCASCADE");',
    'Box(1) = {0,0,0, 40,40,2};',
    'n = 0;',
    'For i In {0:15}',
    '  For j In {0:15}',
    '    n += 1;',
    '    Cylinder(100+n) = {1+2*i, 1+2*j, -1, 0, 0, 4, 0.5};',
    '  EndFor',
    'EndFor',
    'BooleanDifference{ Volume{1}; Delete; }{ Volume{101:100+n}; Delete; }',
    '',
  ].join('\n');
}

/**
 * `nx` × `ny` unit blocks side by side, each touching its neighbours on whole faces: an assembly of nx·ny bodies
 * with (nx−1)·ny + nx·(ny−1) shared faces once fragmented. Exported as STEP, the blocks stay separate solids.
 */
export function blockGridScript(nx: number, ny: number): string {
  if (!Number.isInteger(nx) || !Number.isInteger(ny) || nx < 1 || ny < 1) throw new Error('a grid of whole blocks');
  return [
    'SetFactory("OpenCASCADE");',
    'k = 0;',
    `For i In {0:${nx - 1}}`,
    `  For j In {0:${ny - 1}}`,
    '    k += 1;',
    '    Box(k) = {i, j, 0, 1, 1, 1};',
    '  EndFor',
    'EndFor',
    '',
  ].join('\n');
}

/**
 * The interface search as the attempt scripts ran it before it moved to TypeScript (kept for `meshbench bench`
 * only): merge, fragment, then compare the boundary of every pair of bodies face by face, defining one
 * Interface_<a>_<b> group per pair that shares faces, and write the number of groups to `countFile`. With
 * `search: false` the same script without the search, to subtract Gmsh's start-up, import and fragmenting.
 */
export function interfaceSearchBaseline(inputName: string, countFile: string, search: boolean): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(inputName) || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(countFile))
    throw new Error('plain file names only');
  const head = [
    'SetFactory("OpenCASCADE");',
    `Merge "${inputName}";`,
    'mbBodies[] = Volume{:};',
    'If (#mbBodies[] > 1)',
    'mbFragments[] = BooleanFragments{ Volume{mbBodies[]}; Delete; }{};',
    'EndIf',
    'mbK = 0;',
  ];
  const loop = [
    'mbV[] = Volume{:};',
    'For mbI In {0:#mbV[]-1}',
    'mbA[] = Abs(Boundary{Volume{mbV[mbI]};});',
    'For mbJ In {mbI+1:#mbV[]-1}',
    'mbB[] = Abs(Boundary{Volume{mbV[mbJ]};});',
    'mbC[] = {};',
    'For mbP In {0:#mbA[]-1}',
    'For mbQ In {0:#mbB[]-1}',
    'If (mbA[mbP] == mbB[mbQ])',
    'mbC[] += mbA[mbP];',
    'EndIf',
    'EndFor',
    'EndFor',
    'If (#mbC[] > 0)',
    'mbK += 1;',
    'Physical Surface(Sprintf("Interface_%g_%g", mbV[mbI], mbV[mbJ]), 1000000 + mbK) = {mbC[]};',
    'EndIf',
    'EndFor',
    'EndFor',
  ];
  return [...head, ...(search ? loop : []), `Printf("%g", mbK) > "${countFile}";`, ''].join('\n');
}
