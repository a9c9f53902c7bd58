// A file written in ~1 MiB pieces (text or binary) and hashed on the way: writers never hold a whole file in memory.
import { closeSync, openSync, writeSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';

const FLUSH_AT = 1 << 20;

export class FileSink {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private parts: string[] = [];
  private pending = 0;
  bytes = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  /** ASCII text (every writer emits only ASCII). */
  text(s: string): void {
    this.parts.push(s);
    this.pending += s.length;
    if (this.pending >= FLUSH_AT) this.flush();
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
    if (!this.parts.length) return;
    const buf = Buffer.from(this.parts.join(''), 'latin1');
    this.parts = [];
    this.pending = 0;
    this.put(buf);
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

/** `items` as comma-separated lines of at most `perLine` values (the card width Abaqus and Nastran set readers like). */
export function writeIdLines(sink: FileSink, ids: ArrayLike<number>, perLine: number, offset = 1): void {
  let line: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    line.push(String(ids[i] + offset));
    if (line.length === perLine) {
      sink.text(`${line.join(', ')}\n`);
      line = [];
    }
  }
  if (line.length) sink.text(`${line.join(', ')}\n`);
}
