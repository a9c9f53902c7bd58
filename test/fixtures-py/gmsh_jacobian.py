"""Gmsh's own Jacobian analysis of the quadratic tets (type 11) of a .msh file.

Usage: /usr/bin/python3 gmsh_jacobian.py MESH.msh
Prints one JSON object:
  tags     Gmsh element tags of the quadratic tets
  sampled  min det J / max det J per element, det J from gmsh.model.mesh.getJacobians at the 20 points of the
           order-3 lattice (Gmsh's sampling points for this element's Jacobian)
  plugin   the same element's "minJ/maxJ" from Plugin(AnalyseMeshQuality) (Bezier bounds, refined by subdivision)
"""
import json
import sys

import gmsh

path = sys.argv[1]
gmsh.initialize(["gmsh", "-nt", "1"])
gmsh.option.setNumber("General.Terminal", 0)
gmsh.open(path)
pts = []
for i in range(4):
    for j in range(4 - i):
        for k in range(4 - i - j):
            pts += [i / 3, j / 3, k / 3]
n = len(pts) // 3
tags, _nodes = gmsh.model.mesh.getElementsByType(11)
_jac, det, _coord = gmsh.model.mesh.getJacobians(11, pts)
sampled = []
for e in range(len(tags)):
    d = det[e * n:(e + 1) * n]
    sampled.append(min(d) / max(d) if max(d) > 0 else -1.0)

gmsh.plugin.setNumber("AnalyseMeshQuality", "JacobianDeterminant", 1)
gmsh.plugin.setNumber("AnalyseMeshQuality", "ICNMeasure", 0)
gmsh.plugin.setNumber("AnalyseMeshQuality", "IGEMeasure", 0)
gmsh.plugin.setNumber("AnalyseMeshQuality", "DimensionOfElements", 3)
gmsh.plugin.setNumber("AnalyseMeshQuality", "CreateView", 1)
gmsh.plugin.run("AnalyseMeshQuality")
plugin = {}
for view in gmsh.view.getTags():
    _kind, etags, data, _time, _ncomp = gmsh.view.getModelData(view, 0)
    plugin.update(zip((int(t) for t in etags), (float(d[0]) for d in data)))
gmsh.finalize()
json.dump({"tags": [int(t) for t in tags], "sampled": sampled, "plugin": [plugin[int(t)] for t in tags]}, sys.stdout)
