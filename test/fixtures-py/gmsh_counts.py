"""What Gmsh itself reads from a .msh file: node count, element count per type, bounding box of the nodes,
entity counts, and the element tags with corner node coordinates of some tetrahedra, prisms and pyramids.

Usage: /usr/bin/python3 gmsh_counts.py MESH.msh   -> one JSON object on stdout
"""
import json
import sys

import gmsh

gmsh.initialize()
gmsh.option.setNumber("General.Terminal", 0)
gmsh.open(sys.argv[1])
tags, coords, _ = gmsh.model.mesh.getNodes()
xyz = [coords[i::3] for i in range(3)]
by_type = {}
for t in (1, 2, 3, 4, 6, 7, 8, 9, 11, 15):
    et, _ = gmsh.model.mesh.getElementsByType(t)
    if len(et):
        by_type[str(t)] = len(et)
all_types, _, _ = gmsh.model.mesh.getElements()
ents = {d: len(gmsh.model.getEntities(d)) for d in range(4)}
node_xyz = {int(t): (coords[3 * i], coords[3 * i + 1], coords[3 * i + 2]) for i, t in enumerate(tags)}
sample_tets = []
for t in (4, 11):
    et, en = gmsh.model.mesh.getElementsByType(t)
    nn = 4 if t == 4 else 10
    for k in range(0, len(et), max(1, len(et) // 50)):
        corners = [node_xyz[int(n)] for n in en[k * nn:k * nn + 4]]
        sample_tets.append({"tag": int(et[k]), "xyz": [c for p in corners for c in p]})
sample_cells = []
for t, nn in ((6, 6), (7, 5)):
    et, en = gmsh.model.mesh.getElementsByType(t)
    for k in range(0, len(et), max(1, len(et) // 50)):
        corners = [node_xyz[int(n)] for n in en[k * nn:(k + 1) * nn]]
        sample_cells.append({"tag": int(et[k]), "xyz": [c for p in corners for c in p]})
json.dump({
    "nodes": len(tags),
    "byType": by_type,
    "types": sorted(int(t) for t in all_types),
    "bbox": {"min": [min(a) for a in xyz], "max": [max(a) for a in xyz]},
    "entities": {"points": ents[0], "curves": ents[1], "surfaces": ents[2], "volumes": ents[3]},
    "sampleTets": sample_tets,
    "sampleCells": sample_cells,
}, sys.stdout)
gmsh.finalize()
