// The Python program the netgen attempt runs (written beside the staged input, run by the Python that has Debian's
// python3-netgen 6.2): Netgen meshes the STEP through OpenCASCADE in its own process (it can crash: the attempt's
// watchdog and process-group kill apply as to Gmsh), checks what it made, and writes a msh 2.2 file that Gmsh then
// reads to add the job's groups. Kept as text here so the same program reaches the Modal worker inside the runner.
//
// Netgen 6.2.1905's OpenCASCADE meshing reads its sizes from the library's global parameters, not from the
// MeshingParameters Python hands it (maxh, curvaturesafety passed from Python change nothing: 254k tets on a part
// whose default Gmsh mesh has 925); nglib's Ng_Meshing_Parameters::Transfer_Parameters copies a parameter block into
// them. The block's layout is that of nglib.h 6.2.1905, checked against the constructor's defaults before use: any
// other build is refused with a message, never meshed with wrong sizes.

export const NETGEN_SCRIPT = String.raw`
import ctypes, json, sys

def fail(msg):
    print('Error   : ' + msg, flush=True)
    sys.exit(3)

inp, out, maxh, curvaturesafety, closeedge, faces_expected = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
try:
    from netgen.NgOCC import LoadOCCGeometry
    from netgen.meshing import MeshingParameters, PointId
    lib = ctypes.CDLL('libnglib.so.6.2', mode=ctypes.RTLD_GLOBAL)
    occ = ctypes.CDLL('libocc.so.6.2', mode=ctypes.RTLD_GLOBAL)
except Exception as e:
    fail('python3-netgen 6.2 is not usable here: %s' % e)

buf = ctypes.create_string_buffer(512)
ctor = lib._ZN5nglib21Ng_Meshing_ParametersC1Ev
ctor.argtypes = [ctypes.c_void_p]
ctor(buf)
base = ctypes.addressof(buf)
D = lambda off: ctypes.c_double.from_address(base + off)
I = lambda off: ctypes.c_int.from_address(base + off)
if not (I(0).value == 1 and D(8).value == 1000.0 and D(32).value == 0.3 and D(40).value == 2.0
        and D(80).value == 1e-4 and I(112).value == 3):
    fail('this Netgen is not the 6.2.1905 build whose parameter layout MeshBench knows; not meshed')
D(8).value = maxh          # maxh
D(32).value = 0.3          # grading
D(40).value = 1.0          # segmentsperedge
D(48).value = curvaturesafety
tr = lib._ZN5nglib21Ng_Meshing_Parameters19Transfer_ParametersEv
tr.argtypes = [ctypes.c_void_p]
tr(buf)
occparam = ctypes.addressof(ctypes.c_char.in_dll(occ, '_ZN6netgen8occparamE'))
ctypes.c_int.from_address(occparam + 8).value = 1 if closeedge > 0 else 0
if closeedge > 0:
    ctypes.c_double.from_address(occparam).value = closeedge

geo = LoadOCCGeometry(inp)
mesh = geo.GenerateMesh(mp=MeshingParameters(maxh=maxh, curvaturesafety=curvaturesafety, optsteps3d=3))
pts, tris, tets = mesh.Points(), mesh.Elements2D(), mesh.Elements3D()
# Netgen reports a failed surface in its log and still exits 0 with no tetrahedra.
if len(tets) == 0:
    fail('Netgen made no tetrahedra: it could not mesh a surface of the part (its log names the face)')
faces = sorted({el.index for el in tris})
if faces != list(range(1, faces_expected + 1)):
    fail('Netgen numbered %d faces where the model has %d: its face tags would not be the model\'s' % (len(faces), faces_expected))
# msh 2.2 with full-precision nodes (Netgen's own export prints 6 decimals), each triangle on its OCC face (the
# model's face tag), tetrahedra turned to Gmsh's orientation (Netgen's are the mirror), and no physical group.
with open(out, 'w') as f:
    f.write('$MeshFormat\n2.2 0 8\n$EndMeshFormat\n$Nodes\n%d\n' % len(pts))
    for i in range(1, len(pts) + 1):
        p = pts[PointId(i)]
        f.write('%d %r %r %r\n' % (i, p[0], p[1], p[2]))
    f.write('$EndNodes\n$Elements\n%d\n' % (len(tris) + len(tets)))
    k = 0
    for el in tris:
        k += 1
        v = el.vertices
        f.write('%d 2 2 0 %d %d %d %d\n' % (k, el.index, v[0].nr, v[1].nr, v[2].nr))
    for el in tets:
        k += 1
        v = el.vertices
        f.write('%d 4 2 0 %d %d %d %d %d\n' % (k, el.index, v[0].nr, v[2].nr, v[1].nr, v[3].nr))
    f.write('$EndElements\n')
print('Info    : Netgen: %d nodes, %d triangles, %d tetrahedra' % (len(pts), len(tris), len(tets)), flush=True)
`;
