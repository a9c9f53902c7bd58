// A file written through a 1 MiB byte buffer (text or binary) and hashed on the way: writers never hold a whole
// file in memory, and integers go in digit by digit with no string made for them (most of a mesh file is integers).
// The bytes go to a temporary file beside the target, renamed over it only once complete (src/util/atomic-write.ts):
// a writer killed mid-file never leaves a truncated file under the final name.
import { closeSync, rmSync, writeSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { commitTemp, openTemp } from '../util/atomic-write';

const SIZE = 1 << 20;

export class FileSink {
  private readonly fd: number;
  private readonly tmp: string;
  private readonly hash: Hash = createHash('sha256');
  private readonly buf = Buffer.allocUnsafe(SIZE);
  private pos = 0;
  bytes = 0;

  constructor(readonly path: string) {
    ({ fd: this.fd, tmp: this.tmp } = openTemp(path));
  }

  /** ASCII text (every writer emits only ASCII). */
  text(s: string): void {
    if (this.pos + s.length > SIZE) {
      this.flush();
      if (s.length > SIZE) return this.put(Buffer.from(s, 'latin1'));
    }
    this.pos += this.buf.write(s, this.pos, 'latin1');
  }

  /** A non-negative integer, in decimal (32-bit arithmetic below 2^31, which every id and tag is). */
  int(v: number): void {
    if (this.pos + 24 > SIZE) this.flush();
    const b = this.buf;
    if (v >= 2147483648) {
      this.pos += b.write(String(v), this.pos, 'latin1');
      return;
    }
    let n = v | 0;
    const digits =
      n < 10
        ? 1
        : n < 100
          ? 2
          : n < 1000
            ? 3
            : n < 10000
              ? 4
              : n < 100000
                ? 5
                : n < 1000000
                  ? 6
                  : n < 10000000
                    ? 7
                    : n < 100000000
                      ? 8
                      : n < 1000000000
                        ? 9
                        : 10;
    let p = this.pos + digits;
    this.pos = p;
    do {
      const q = (n / 10) | 0;
      b[--p] = 48 + n - q * 10;
      n = q;
    } while (n > 0);
  }

  /** One ASCII character by code (',', ' ', '\n'). */
  char(c: number): void {
    if (this.pos + 1 > SIZE) this.flush();
    this.buf[this.pos++] = c;
  }

  binary(b: Uint8Array): void {
    this.flush();
    this.put(b);
  }

  private put(b: Uint8Array): void {
    this.hash.update(b);
    let off = 0;
    while (off < b.byteLength) off += writeSync(this.fd, b, off, b.byteLength - off);
    this.bytes += b.byteLength;
  }

  flush(): void {
    if (!this.pos) return;
    this.put(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }

  /** Lower-case hexadecimal of a non-negative integer below 2^32 (Fluent's indices). */
  hex(v: number): void {
    if (this.pos + 8 > SIZE) this.flush();
    const b = this.buf;
    let n = v >>> 0;
    let digits = 1;
    while (digits < 8 && n >>> (4 * digits) !== 0) digits++;
    let p = this.pos + digits;
    this.pos = p;
    do {
      const d = n & 15;
      b[--p] = d < 10 ? 48 + d : 87 + d;
      n >>>= 4;
    } while (n !== 0);
  }

  /** Completes the file: the rest of the buffer, then the temporary file renamed to `path`. */
  close(): { bytes: number; sha256: string } {
    try {
      this.flush();
    } catch (e) {
      this.abort();
      throw e;
    }
    commitTemp(this.fd, this.tmp, this.path);
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Drops the file: `path` keeps whatever it held before. */
  abort(): void {
    try {
      closeSync(this.fd);
    } finally {
      rmSync(this.tmp, { force: true });
    }
  }
}

/** Writes `path` through a FileSink: complete under its name when `body` returns, untouched when it throws. */
export function writeStreamed(path: string, body: (out: FileSink) => void): { bytes: number; sha256: string } {
  const out = new FileSink(path);
  try {
    body(out);
  } catch (e) {
    out.abort();
    throw e;
  }
  return out.close();
}

export const COMMA = 44;
export const SPACE = 32;
export const NL = 10;

/** `ids` (+ offset) as comma-separated lines of at most `perLine` values (the card width set readers like). */
export function writeIdLines(sink: FileSink, ids: ArrayLike<number>, perLine: number, offset = 1): void {
  for (let i = 0; i < ids.length; i++) {
    sink.int(ids[i] + offset);
    sink.char(i % perLine === perLine - 1 || i === ids.length - 1 ? NL : COMMA);
  }
}
