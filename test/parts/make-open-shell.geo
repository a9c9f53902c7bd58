// A test part: the faces of a filleted 100 mm cube without the solid (an open shell, nothing to fill with tets).
//   cd test/parts && gmsh make-open-shell.geo -parse_and_exit
SetFactory("OpenCASCADE");
Box(1) = {0, 0, 0, 100, 100, 100};
Fillet{1}{1}{10}
Delete { Volume{1}; }
Save "open-shell.step";
