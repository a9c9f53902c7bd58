// A test part: a filleted 100 mm cube without its solid and without one face (an open shell: nothing to fill with
// tets, and no closed shell a repair could turn back into a solid).
//   cd test/parts && gmsh make-open-shell.geo -parse_and_exit
SetFactory("OpenCASCADE");
Box(1) = {0, 0, 0, 100, 100, 100};
Fillet{1}{1}{10}
Delete { Volume{1}; }
Delete { Surface{1}; }
Save "open-shell.step";
