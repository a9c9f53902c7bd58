"""Runs Gmsh's own Plugin(AnalyseMeshQuality) with the ICN measure on a .msh file.

Usage: /usr/bin/python3 gmsh_icn.py MESH.msh [REPEATS]
Prints one JSON object: {"tags": [...], "icn": [...], "runSeconds": [...]} where tags are Gmsh element tags of the
3D elements and icn their minimum ICN as computed by Gmsh; runSeconds times gmsh.plugin.run only (for the bench).
"""
import json
import sys
import time

import gmsh

path = sys.argv[1]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 1
gmsh.initialize(["gmsh", "-nt", "1"])
gmsh.option.setNumber("General.Terminal", 0)
gmsh.open(path)
gmsh.plugin.setNumber("AnalyseMeshQuality", "ICNMeasure", 1)
gmsh.plugin.setNumber("AnalyseMeshQuality", "IGEMeasure", 0)
gmsh.plugin.setNumber("AnalyseMeshQuality", "JacobianDeterminant", 0)
gmsh.plugin.setNumber("AnalyseMeshQuality", "DimensionOfElements", 3)
gmsh.plugin.setNumber("AnalyseMeshQuality", "Recompute", 1)
times = []
for i in range(repeats):
    last = i == repeats - 1
    gmsh.plugin.setNumber("AnalyseMeshQuality", "CreateView", 1 if last else 0)
    t0 = time.perf_counter()
    gmsh.plugin.run("AnalyseMeshQuality")
    times.append(time.perf_counter() - t0)
tags, values = [], []
for view in gmsh.view.getTags():
    kind, etags, data, _time, _ncomp = gmsh.view.getModelData(view, 0)
    tags.extend(int(t) for t in etags)
    values.extend(float(d[0]) for d in data)
gmsh.finalize()
json.dump({"tags": tags, "icn": values, "runSeconds": times}, sys.stdout)
