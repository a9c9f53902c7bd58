// Wire format of the browser harness: one binary WebSocket frame per message.
// Typed arrays (meshes, per-tet metrics) travel as raw bytes, not JSON text, so a 1M-tet payload costs a memcpy,
// not a multi-megabyte JSON parse. Layout: u32 LE json length | json (utf-8) | pad to 8 | buffers (each 8-aligned).
// Pure TS with no Node imports: shared by the harness server (Node) and the renderer's WebSocket client.

type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Uint8ClampedArray;

const CTORS = {
  Float32Array,
  Float64Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint16Array,
  Uint32Array,
  Uint8ClampedArray,
} as const;
type CtorName = keyof typeof CTORS;

const MARK = '$ta';

function isTyped(v: unknown): v is TypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

const align8 = (n: number) => (n + 7) & ~7;

export function encodeMessage(value: unknown): Uint8Array {
  const parts: TypedArray[] = [];
  const json = JSON.stringify(value, function (this: unknown, _key, v) {
    // JSON.stringify calls toJSON-less typed arrays as objects; intercept them before that.
    if (isTyped(v)) {
      parts.push(v);
      return { [MARK]: parts.length - 1, t: v.constructor.name, n: v.length };
    }
    return v;
  });
  const head = new TextEncoder().encode(json ?? 'null');
  let size = align8(4 + head.length);
  const offsets: number[] = [];
  for (const p of parts) {
    offsets.push(size);
    size = align8(size + p.byteLength);
  }
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, head.length, true);
  out.set(head, 4);
  parts.forEach((p, i) => out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), offsets[i]));
  return out;
}

export function decodeMessage(frame: ArrayBuffer | Uint8Array): unknown {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = view.getUint32(0, true);
  const json = new TextDecoder().decode(bytes.subarray(4, 4 + len));
  let cursor = align8(4 + len);
  // Buffers were laid out in the order JSON.stringify met them, which is the order JSON.parse's reviver meets them too
  // only for siblings; so collect placeholders first, then resolve them by index.
  const placeholders: { i: number; t: CtorName; n: number }[] = [];
  const parsed = JSON.parse(json, (_k, v) => {
    if (v && typeof v === 'object' && MARK in v) {
      const ph = { i: v[MARK] as number, t: v.t as CtorName, n: v.n as number };
      placeholders.push(ph);
      return ph;
    }
    return v;
  });
  if (placeholders.length === 0) return parsed;
  placeholders.sort((a, b) => a.i - b.i);
  const arrays = new Map<object, TypedArray>();
  for (const ph of placeholders) {
    const Ctor = CTORS[ph.t];
    if (!Ctor) throw new Error(`unknown typed array type ${ph.t}`);
    const byteLength = ph.n * Ctor.BYTES_PER_ELEMENT;
    const abs = bytes.byteOffset + cursor;
    // Copy when the frame's buffer is not suitably aligned for this element type.
    const arr =
      abs % Ctor.BYTES_PER_ELEMENT === 0
        ? new Ctor(bytes.buffer as ArrayBuffer, abs, ph.n)
        : new Ctor(bytes.slice(cursor, cursor + byteLength).buffer);
    arrays.set(ph, arr);
    cursor = align8(cursor + byteLength);
  }
  return swap(parsed, arrays);
}

function swap(v: unknown, arrays: Map<object, TypedArray>): unknown {
  if (v && typeof v === 'object') {
    const hit = arrays.get(v as object);
    if (hit) return hit;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = swap(v[i], arrays);
    } else {
      for (const k of Object.keys(v))
        (v as Record<string, unknown>)[k] = swap((v as Record<string, unknown>)[k], arrays);
    }
  }
  return v;
}

/** JSON-RPC-ish envelopes of the harness. */
export type RpcRequest = { id: number; method: string; params: unknown[] };
export type RpcResponse = { id: number; result?: unknown; error?: { message: string; code?: string } };
