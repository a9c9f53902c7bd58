# Reads a mesh file with meshio and reports, per cell type, how many cells it read and how many have a non-positive
# volume in meshio's (Gmsh's) node order: a writer with the wrong node order for a format shows up as inverted cells
# once meshio has translated the format's order back. A hexahedron whose top face is one node is a collapsed pyramid.
import sys, json, meshio
import numpy as np

path, fmt = sys.argv[1], sys.argv[2]
vtk_order = sys.argv[3:] == ["vtk-order"]  # meshio leaves this format's wedges in VTK's order: swap them back here
m = meshio.read(path, file_format=fmt)
P = m.points


def v6(c, a, b, d, e):
    u, v, w = P[c[:, b]] - P[c[:, a]], P[c[:, d]] - P[c[:, a]], P[c[:, e]] - P[c[:, a]]
    return np.einsum("ij,ij->i", u, np.cross(v, w))


def volumes(kind, c):
    if kind == "tetra":
        return v6(c, 0, 1, 2, 3)
    if kind == "wedge":
        return v6(c, 0, 1, 2, 3) + v6(c, 1, 2, 3, 4) + v6(c, 2, 3, 4, 5)
    if kind == "pyramid":
        return v6(c, 0, 1, 2, 4) + v6(c, 0, 2, 3, 4)
    return None


out = {}
for block in m.cells:
    kind, c = block.type, np.asarray(block.data)
    if kind == "hexahedron" and len(c) and (c[:, 4:] == c[:, 4:5]).all():
        kind, c = "pyramid(collapsed hexahedron)", c[:, :5]
        vol = volumes("pyramid", c)
    else:
        if kind == "wedge" and vtk_order:
            c = c[:, [0, 2, 1, 3, 5, 4]]
        vol = volumes(kind, c)
    o = out.setdefault(kind, {"cells": 0, "nonpositive": 0})
    o["cells"] += int(len(c))
    if vol is not None:
        o["nonpositive"] += int((vol <= 0).sum())
print(json.dumps({"points": int(len(P)), "types": out}))
