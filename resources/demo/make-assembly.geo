// MeshBench's own assembly part: three solids that touch, written as separate bodies of one STEP file.
//   cd resources/demo && gmsh make-assembly.geo -parse_and_exit
// assembly.step: two 40 x 20 x 20 boxes sharing a face (x = 40) and a Ø16 cylinder standing on the far end face
// (x = 80). The bodies are NOT fused or fragmented here: that is the meshing step's job.
SetFactory("OpenCASCADE");
Box(1) = {0, 0, 0, 40, 20, 20};
Box(2) = {40, 0, 0, 40, 20, 20};
Cylinder(3) = {80, 10, 10, 20, 0, 0, 8};
Save "assembly.step";
