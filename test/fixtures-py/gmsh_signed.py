"""Counts volume elements with a Jacobian determinant <= 0 at a corner, from Gmsh's own API.

Usage: /usr/bin/python3 gmsh_signed.py MESH.msh
Prints {"tet": {"n": N, "inverted": K}, "prism": {...}, "pyramid": {...}} for the types the mesh has. Gmsh's
AnalyseMeshQuality plugin ignores orientation, so inverted elements are counted from getJacobians at the corners of
each reference element (a pyramid's Jacobian is singular at its apex: sampled just below it).
"""
import json
import sys

import gmsh

CORNERS = {
    4: [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1],
    6: [0, 0, -1, 1, 0, -1, 0, 1, -1, 0, 0, 1, 1, 0, 1, 0, 1, 1],
    7: [-1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0, 0, 0, 0.999],
}
NAMES = {4: "tet", 6: "prism", 7: "pyramid"}
gmsh.initialize(["gmsh", "-nt", "1"])
gmsh.option.setNumber("General.Terminal", 0)
gmsh.open(sys.argv[1])
out = {}
types = gmsh.model.mesh.getElementTypes(3)
for t, pts in CORNERS.items():
    if t not in types:
        continue
    _, dets, _ = gmsh.model.mesh.getJacobians(t, pts)
    k = len(pts) // 3
    n = len(dets) // k
    bad = sum(1 for e in range(n) if min(dets[e * k:(e + 1) * k]) <= 0)
    out[NAMES[t]] = {"n": n, "inverted": bad}
gmsh.finalize()
json.dump(out, sys.stdout)
