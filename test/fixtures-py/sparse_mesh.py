"""Rewrites a .msh with sparse node tags, using Gmsh itself to write the file.

Usage: /usr/bin/python3 sparse_mesh.py IN.msh OUT.msh STRIDE OFFSET BINARY(0|1)
Every node tag t becomes OFFSET + STRIDE * t (element tags and connectivity follow), so the file Gmsh writes has
gaps between node tags (STRIDE > 1) or a huge tag range (large OFFSET/STRIDE) for the reader's sparse lookups.
"""
import sys

import gmsh

src, dst, stride, offset, binary = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
gmsh.initialize()
gmsh.option.setNumber("General.Terminal", 0)
gmsh.open(src)
entities = gmsh.model.getEntities()
nodes = {}
elements = {}
for dim, tag in entities:
    ntags, coords, _ = gmsh.model.mesh.getNodes(dim, tag, includeBoundary=False, returnParametricCoord=False)
    nodes[(dim, tag)] = ([offset + stride * int(t) for t in ntags], list(coords))
    types, etags, enodes = gmsh.model.mesh.getElements(dim, tag)
    elements[(dim, tag)] = (list(types), [list(e) for e in etags], [[offset + stride * int(n) for n in en] for en in enodes])
gmsh.model.mesh.clear()
for key, (ntags, coords) in nodes.items():
    gmsh.model.mesh.addNodes(key[0], key[1], ntags, coords)
for key, (types, etags, enodes) in elements.items():
    for t, et, en in zip(types, etags, enodes):
        gmsh.model.mesh.addElements(key[0], key[1], [t], [et], [en])
gmsh.option.setNumber("Mesh.MshFileVersion", 4.1)
gmsh.option.setNumber("Mesh.Binary", 1 if binary else 0)
gmsh.write(dst)
gmsh.finalize()
