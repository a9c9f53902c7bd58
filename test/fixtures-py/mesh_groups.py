"""The physical groups of a .msh file as Gmsh reads them.

Usage: /usr/bin/python3 mesh_groups.py MESH.msh
Prints a JSON array: [{"dim", "tag", "name", "entities": [...], "nodes": N, "elements": N}, ...]
"""
import json
import sys

import gmsh

gmsh.initialize(["gmsh", "-nt", "1"])
gmsh.option.setNumber("General.Terminal", 0)
gmsh.open(sys.argv[1])
out = []
for dim, tag in gmsh.model.getPhysicalGroups():
    ents = [int(e) for e in gmsh.model.getEntitiesForPhysicalGroup(dim, tag)]
    node_tags, _ = gmsh.model.mesh.getNodesForPhysicalGroup(dim, tag)
    elements = 0
    for e in ents:
        _types, etags, _nodes = gmsh.model.mesh.getElements(dim, e)
        elements += sum(len(t) for t in etags)
    out.append({"dim": dim, "tag": tag, "name": gmsh.model.getPhysicalName(dim, tag), "entities": ents,
                "nodes": len(node_tags), "elements": elements})
gmsh.finalize()
json.dump(out, sys.stdout)
