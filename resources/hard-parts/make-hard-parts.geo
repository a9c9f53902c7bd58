// MeshBench's hard parts: small features that make Gmsh's defaults leave slivers or run long at fine sizes.
// Written by Gmsh's OpenCASCADE kernel (deterministic):  cd resources/hard-parts && gmsh make-hard-parts.geo -parse_and_exit
// The benchmark "time to an acceptable mesh" and the cascade tests mesh them.

// thin-wall.step: a pocketed housing whose side wall is 0.4 mm thick, with a small bore close to the wall.
SetFactory("OpenCASCADE");
Box(1) = {0, 0, 0, 60, 40, 25};
Box(2) = {3, 3, 3, 56.6, 34, 30};               // pocket: leaves a 0.4 mm wall at x = 59.6..60
Cylinder(3) = {57.5, 20, -1, 0, 0, 5, 1.5};     // bore 0.6 mm from the pocket wall
BooleanDifference(4) = { Volume{1}; Delete; }{ Volume{2, 3}; Delete; };
Save "thin-wall.step";

// small-fillet.step: a block with one 0.3 mm fillet beside 4 mm ones and a shallow step of 0.25 mm.
Delete All;
SetFactory("OpenCASCADE");
Box(10) = {0, 0, 0, 50, 30, 12};
f() = Fillet{10}{1}{0.3};
Box(11) = {10, 10, 11.75, 30, 10, 1};           // a 0.25 mm deep recess in the top face
BooleanDifference(12) = { Volume{f(0)}; Delete; }{ Volume{11}; Delete; };
Save "small-fillet.step";

// sliver-boss.step: a plate with a boss that almost touches its edge (0.15 mm) and a thin rib that meets it at a
// grazing angle: tiny faces and near-degenerate wedges, where Delaunay leaves slivers.
Delete All;
SetFactory("OpenCASCADE");
Box(20) = {0, 0, 0, 50, 30, 5};
Cylinder(21) = {44.85, 15, 0, 0, 0, 12, 5};     // boss: 0.15 mm inside the x = 50 edge
Wedge(22) = {5, 14.5, 5, 39.85, 1, 6, 0};       // rib running into the boss
BooleanUnion(23) = { Volume{20}; Delete; }{ Volume{21, 22}; Delete; };
Save "sliver-boss.step";

// micro-fillet.step: a 100 mm block with one 0.2 mm fillet: sizing from curvature puts tens of thousands of
// elements on that one edge, while the default size leaves slivers beside it.
Delete All;
SetFactory("OpenCASCADE");
Box(30) = {0, 0, 0, 100, 60, 20};
g() = Fillet{30}{3}{0.2};
Cylinder(31) = {50, 30, -1, 0, 0, 22, 8};
BooleanDifference(32) = { Volume{g(0)}; Delete; }{ Volume{31}; Delete; };
Save "micro-fillet.step";

// fillet-rim.step: a 100 mm housing whose whole top rim is rounded at 0.15 mm (320 mm of small radius): sizing
// from curvature heads for millions of elements, while every size-based attempt leaves slivers on the thin fillet
// strip (SICN min just under the 0.1 target). The situation a real part shows at size factor 0.5.
Delete All;
SetFactory("OpenCASCADE");
Box(40) = {0, 0, 0, 100, 60, 20};
h() = Fillet{40}{2, 4, 6, 8}{0.15};             // the four top edges
Cylinder(41) = {50, 30, -1, 0, 0, 22, 8};
BooleanDifference(42) = { Volume{h(0)}; Delete; }{ Volume{41}; Delete; };
Save "fillet-rim.step";

// round-rim.step: the same housing with a 0.3 mm rim: curvature sizing still heads for millions of elements (and
// meets the target there), a quarter of the size meets it at ~170,000, the default sizes miss it slightly.
Delete All;
SetFactory("OpenCASCADE");
Box(50) = {0, 0, 0, 100, 60, 20};
k() = Fillet{50}{2, 4, 6, 8}{0.3};
Cylinder(51) = {50, 30, -1, 0, 0, 22, 8};
BooleanDifference(52) = { Volume{k(0)}; Delete; }{ Volume{51}; Delete; };
Save "round-rim.step";
