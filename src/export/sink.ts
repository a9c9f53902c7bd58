// A file written through a 1 MiB byte buffer (text or binary) and hashed on the way: writers never hold a whole
// file in memory, and integers go in digit by digit with no string made for them (most of a mesh file is integers).
import { closeSync, openSync, writeSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';

const SIZE = 1 << 20;

export class FileSink {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private readonly buf = Buffer.allocUnsafe(SIZE);
  private pos = 0;
  bytes = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
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

  close(): { bytes: number; sha256: string } {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
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
