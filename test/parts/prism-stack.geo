// A square meshed in triangles and extruded in three layers: Gmsh's own prisms (type 6), with quadrangles (type 3)
// on the sides, for the reader tests (the layered meshes MeshBench writes are checked against Gmsh separately).
SetFactory("Built-in");
Point(1) = {0, 0, 0, 0.5};
Point(2) = {2, 0, 0, 0.5};
Point(3) = {2, 2, 0, 0.5};
Point(4) = {0, 2, 0, 0.5};
Line(1) = {1, 2};
Line(2) = {2, 3};
Line(3) = {3, 4};
Line(4) = {4, 1};
Curve Loop(1) = {1, 2, 3, 4};
Plane Surface(1) = {1};
Extrude {0, 0, 1} { Surface{1}; Layers{3}; Recombine; }
