// MeshBench's CFD parts: fluid regions whose walls get prism boundary layers (--layers).
// Written by Gmsh's OpenCASCADE kernel (deterministic):  cd resources/cfd-parts && gmsh make-cfd-parts.geo -parse_and_exit
// The layer tests and `meshbench bench --only layers` mesh them.

// duct.step: the fluid inside a pipe (radius 5): 30 mm straight, a 90-degree elbow (bend radius 15), 30 mm straight.
// Faces 1, 3 and 4 are the walls; 2 and 5 the inlet and outlet.
SetFactory("OpenCASCADE");
Cylinder(1) = {0, 0, 0, 30, 0, 0, 5};
Torus(2) = {30, 15, 0, 15, 5, Pi/2};
Rotate {{0, 0, 1}, {30, 15, 0}, -Pi/2} { Volume{2}; }
Cylinder(3) = {45, 15, 0, 0, 30, 0, 5};
BooleanUnion(4) = { Volume{1}; Delete; }{ Volume{2, 3}; Delete; };
Save "duct.step";

// fillet-box.step: a 40 x 20 x 10 box with 3 mm fillets on its four vertical edges (top and bottom edges stay sharp):
// layers on every face meet at convex edges and corners.
Delete All;
SetFactory("OpenCASCADE");
Box(10) = {0, 0, 0, 40, 20, 10};
f() = Fillet{10}{1, 3, 5, 7}{3};
Save "fillet-box.step";

// thin-gap.step: a channel of two 6 mm high chambers joined by a 1 mm high, 10 mm long gap: layers from both walls
// of the gap thicker than 0.5 mm would meet, so they must thin out there (and say so).
Delete All;
SetFactory("OpenCASCADE");
Box(20) = {0, 0, 0, 15, 20, 6};
Box(21) = {15, 0, 0, 10, 20, 1};
Box(22) = {25, 0, 0, 15, 20, 6};
BooleanUnion(23) = { Volume{20}; Delete; }{ Volume{21, 22}; Delete; };
Save "thin-gap.step";
