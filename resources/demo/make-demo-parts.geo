// MeshBench's own demo parts, written by Gmsh's OpenCASCADE kernel:
//   cd resources/demo && gmsh make-demo-parts.geo -parse_and_exit
// bracket.step: an L-shaped mounting bracket with two bolt holes, a slot and a rib.
SetFactory("OpenCASCADE");
Box(1) = {0, 0, 0, 80, 40, 8};           // base plate
Box(2) = {0, 0, 0, 8, 40, 60};           // upright
Wedge(4) = {8, 17, 8, 40, 6, 40, 0};     // triangular rib
Cylinder(5) = {30, 20, -1, 0, 0, 10, 5}; // bolt holes in the base
Cylinder(6) = {62, 20, -1, 0, 0, 10, 5};
Box(7) = {-1, 14, 35, 10, 12, 16};       // slot in the upright
BooleanUnion(10) = { Volume{1}; Delete; }{ Volume{2}; Volume{4}; Delete; };
BooleanDifference(11) = { Volume{10}; Delete; }{ Volume{5, 6, 7}; Delete; };
Save "bracket.step";

// knob.stl: a control knob (cylinder, domed cap, shaft bore) as a triangulated STL, for the STL route.
Delete All;
SetFactory("OpenCASCADE");
Cylinder(20) = {0, 0, 0, 0, 0, 12, 15};
Sphere(21) = {0, 0, 12, 15, 0, Pi/2};
Cylinder(22) = {0, 0, -1, 0, 0, 9, 3};
BooleanUnion(23) = { Volume{20}; Delete; }{ Volume{21}; Delete; };
BooleanDifference(24) = { Volume{23}; Delete; }{ Volume{22}; Delete; };
Mesh.MeshSizeMax = 2.5;
Mesh 2;
Save "knob.stl";
