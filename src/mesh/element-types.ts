// Gmsh element types: nodes per element and the category the reader counts them in.
// The node counts are Gmsh's own (gmsh.model.mesh.getElementProperties for types 1..137); the binary
// format needs them because element records carry no length of their own.

export const KIND_OTHER = 0;
export const KIND_POINT = 1;
export const KIND_LINE = 2;
export const KIND_TRIANGLE = 3;
export const KIND_TET = 4;
export const KIND_QUAD = 5;
export const KIND_PRISM = 6;
export const KIND_PYRAMID = 7;

// "type:nodes" for every fixed-size type Gmsh 4.8 defines (polygons/polyhedra/Xfem have no fixed size).
const NODES =
  '1:2 2:3 3:4 4:4 5:8 6:6 7:5 8:3 9:6 10:9 11:10 12:27 13:18 14:14 15:1 16:8 17:20 18:15 19:13 20:9 21:10 ' +
  '22:12 23:15 24:15 25:21 26:4 27:5 28:6 29:20 30:35 31:56 32:22 33:28 36:16 37:25 38:36 39:12 40:16 41:20 ' +
  '42:28 43:36 44:45 45:55 46:66 47:49 48:64 49:81 50:100 51:121 52:18 53:21 54:24 55:27 56:30 57:24 58:28 ' +
  '59:32 60:36 61:40 62:7 63:8 64:9 65:10 66:11 71:84 72:120 73:165 74:220 75:286 79:34 80:40 81:46 82:52 ' +
  '83:58 84:1 85:1 86:1 87:1 88:1 89:1 92:64 93:125 94:216 95:343 96:512 97:729 98:1000 99:32 100:44 101:56 ' +
  '102:68 103:80 104:92 105:104 118:30 119:55 120:91 121:140 122:204 123:285 124:385 125:21 126:29 127:37 ' +
  '128:45 129:53 130:61 131:69 132:1 137:16';

/** nodesPerType[t] = nodes of Gmsh element type t, 0 when unknown. */
export const nodesPerType = new Int32Array(256);
/**
 * Category used for ElementCounts; tets are only the linear (4) and quadratic (11) ones the kernel measures. Prisms,
 * pyramids and quadrangles are the linear ones (6, 7, 3) boundary layers make; their quadratic kin count as other.
 */
export const kindOfType = new Uint8Array(256);

for (const pair of NODES.split(' ')) {
  const [t, n] = pair.split(':').map(Number);
  nodesPerType[t] = n;
}
for (const t of [15]) kindOfType[t] = KIND_POINT;
for (const t of [1, 8, 26, 27, 28, 62, 63, 64, 65, 66]) kindOfType[t] = KIND_LINE;
for (const t of [2, 9, 20, 21, 22, 23, 24, 25, 42, 43, 44, 45, 46, 52, 53, 54, 55, 56]) kindOfType[t] = KIND_TRIANGLE;
for (const t of [4, 11]) kindOfType[t] = KIND_TET;
kindOfType[3] = KIND_QUAD;
kindOfType[6] = KIND_PRISM;
kindOfType[7] = KIND_PYRAMID;
