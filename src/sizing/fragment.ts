// Assemblies: solids that touch are made conformal before meshing (OpenCASCADE BooleanFragments), so bodies share
// nodes on the faces they share. Gmsh keeps the bodies' tags (Body_<n> stays the same body) and each face shared by
// bodies a < b gets the physical group Interface_<a>_<b>.
import { PHYSICAL_BASE } from '../contract/groups';
import { GeoScript, geoString } from '../geo/geo-script';

export function addFragments(script: GeoScript): void {
  addFragmentStep(script);
  addInterfaceGroups(script);
}

/** The BooleanFragments of all solids, when there are several. */
export function addFragmentStep(script: GeoScript): void {
  script
    .add('geometry', 'mbBodies[] = Volume{:}')
    .add('geometry', 'If (#mbBodies[] > 1)')
    .add('geometry', 'mbFragments[] = BooleanFragments{ Volume{mbBodies[]}; Delete; }{}')
    .add('geometry', 'EndIf');
}

/** Writes "<body> <face>" lines, one per face of each body, to `fileName` beside the script. */
export function addBodyReport(script: GeoScript, fileName: string): void {
  const file = geoString(fileName);
  script
    .add('geometry', 'mbV[] = Volume{:}')
    .add('geometry', 'For mbI In {0:#mbV[]-1}')
    .add('geometry', 'mbS[] = Abs(Boundary{Volume{mbV[mbI]};})')
    .add('geometry', 'For mbJ In {0:#mbS[]-1}')
    .add('geometry', `Printf("%g %g", mbV[mbI], mbS[mbJ]) >> ${file}`)
    .add('geometry', 'EndFor')
    .add('geometry', 'EndFor');
}

export interface BodyFaces {
  tag: number;
  faces: number[];
  /** Bodies sharing at least one face with this one. */
  touches: number[];
}

/** Parses addBodyReport's lines into bodies, each with its faces and the bodies it touches. */
export function parseBodyReport(text: string): BodyFaces[] {
  const faces = new Map<number, number[]>();
  for (const line of text.split('\n')) {
    const m = /^(\d+) (\d+)$/.exec(line.trim());
    if (!m) continue;
    const b = Number(m[1]);
    if (!faces.has(b)) faces.set(b, []);
    faces.get(b)!.push(Number(m[2]));
  }
  const owners = new Map<number, number[]>();
  for (const [b, fs] of faces) for (const f of fs) owners.set(f, [...(owners.get(f) ?? []), b]);
  return [...faces.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([tag, fs]) => ({
      tag,
      faces: fs,
      touches: [...new Set(fs.flatMap((f) => owners.get(f)!.filter((o) => o !== tag)))].sort((x, y) => x - y),
    }));
}

/** One `Interface_<a>_<b>` physical surface group per pair of bodies that share faces (after fragmenting). */
function addInterfaceGroups(script: GeoScript): void {
  // (no indentation: the script builder recognises For/If/EndFor/EndIf at the start of a statement)
  for (const line of [
    'mbV[] = Volume{:}',
    'mbK = 0',
    'For mbI In {0:#mbV[]-1}',
    'mbA[] = Abs(Boundary{Volume{mbV[mbI]};})',
    'For mbJ In {mbI+1:#mbV[]-1}',
    'mbB[] = Abs(Boundary{Volume{mbV[mbJ]};})',
    'mbC[] = {}',
    'For mbP In {0:#mbA[]-1}',
    'For mbQ In {0:#mbB[]-1}',
    'If (mbA[mbP] == mbB[mbQ])',
    'mbC[] += mbA[mbP]',
    'EndIf',
    'EndFor',
    'EndFor',
    'If (#mbC[] > 0)',
    'mbK += 1',
    `Physical Surface(Sprintf("Interface_%g_%g", mbV[mbI], mbV[mbJ]), ${PHYSICAL_BASE.interface} + mbK) = {mbC[]}`,
    'EndIf',
    'EndFor',
    'EndFor',
  ])
    script.add('physicals', line);
}
