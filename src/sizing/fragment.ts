// Assemblies: solids that touch are made conformal before meshing (OpenCASCADE BooleanFragments), so bodies share
// nodes on the faces they share. Gmsh keeps the bodies' tags (Body_<n> stays the same body) and each face shared by
// bodies a < b gets the physical group Interface_<a>_<b>.
import { GeoScript } from '../geo/geo-script';

/** Physical tags of the interface groups start here, clear of the per-face groups (which use the face's tag). */
export const INTERFACE_PHYSICAL_BASE = 1_000_000;

export function addFragments(script: GeoScript): void {
  script
    .add('geometry', 'mbBodies[] = Volume{:}')
    .add('geometry', 'If (#mbBodies[] > 1)')
    .add('geometry', 'mbFragments[] = BooleanFragments{ Volume{mbBodies[]}; Delete; }{}')
    .add('geometry', 'EndIf');
  addInterfaceGroups(script);
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
    `Physical Surface(Sprintf("Interface_%g_%g", mbV[mbI], mbV[mbJ]), ${INTERFACE_PHYSICAL_BASE} + mbK) = {mbC[]}`,
    'EndIf',
    'EndFor',
    'EndFor',
  ])
    script.add('physicals', line);
}
