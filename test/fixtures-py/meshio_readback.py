# Reads a mesh file with meshio (the independent reader of the export tests) and prints what it found as JSON.
import sys, json, meshio
path, fmt = sys.argv[1], sys.argv[2]
m = meshio.read(path, file_format=fmt)
cells = {}
for c in m.cells:
    cells[c.type] = cells.get(c.type, 0) + len(c.data)
out = {"points": int(len(m.points)), "cells": cells, "field_data": sorted(m.field_data.keys()) if m.field_data else [], "cell_data": sorted(m.cell_data.keys()), "point_sets": sorted(m.point_sets.keys()) if m.point_sets else [], "cell_sets": sorted(m.cell_sets.keys()) if m.cell_sets else []}
print(json.dumps(out))
