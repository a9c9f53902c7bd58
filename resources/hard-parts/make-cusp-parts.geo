// MeshBench's hard parts with tangent cusps, near-0° corners and sliver faces.
// Written by Gmsh's OpenCASCADE kernel:  cd resources/hard-parts && gmsh make-cusp-parts.geo -parse_and_exit
// tangent-boss.step: a plate 60x30x5 with a boss r=15 on top whose circle touches the plate's outline at three
// points (x=0, y=0, y=30): the plate's top face has six 0 deg corners (line and circle meeting tangentially).
SetFactory("OpenCASCADE");
Box(1) = {0, 0, 0, 60, 30, 5};
Cylinder(2) = {15, 15, 5, 0, 0, 10, 15};
BooleanUnion(3) = { Volume{1}; Delete; }{ Volume{2}; Delete; };
Save "tangent-boss.step";
// crossing-boss.step: the same boss a little larger (r=15.02): its circle crosses the plate's outline at ~3 deg,
// overhanging the plate by 0.02: near-0 deg corners on the plate top and sliver faces on the sides.
Delete All;
SetFactory("OpenCASCADE");
Box(1) = {0, 0, 0, 60, 30, 5};
Cylinder(2) = {15, 15, 5, 0, 0, 10, 15.02};
BooleanUnion(3) = { Volume{1}; Delete; }{ Volume{2}; Delete; };
Save "crossing-boss.step";
// slot-cusp.step: a block with a blind round pocket tangent to the block's side face from inside (pinch point),
// and a second pocket whose circle crosses the side at a grazing angle (tiny face, near-0 deg corners).
Delete All;
SetFactory("OpenCASCADE");
Box(1) = {0, 0, 0, 80, 40, 20};
Cylinder(2) = {20, 10.05, 10, 0, 0, 11, 10};    // 0.05 from the y=0 side: a sliver wall
Cylinder(3) = {60, 9.97, 10, 0, 0, 11, 10};     // breaks through y=0 by 0.03: grazing cut
BooleanDifference(4) = { Volume{1}; Delete; }{ Volume{2,3}; Delete; };
Save "slot-cusp.step";
