// The byte-buffer sink every writer goes through: integers digit by digit, text, binary, across buffer flushes,
// with the sha256 and byte count of what reached the disk.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { FileSink, writeIdLines } from '../../src/export/sink';

it('writes integers, text and bytes exactly, over many flushes, and hashes what it wrote', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'mb-sink-')), 'out.txt');
  const s = new FileSink(path);
  const values = [0, 7, 9, 10, 99, 100, 12345, 999999999, 1000000000, 2147483647, 2147483648, 2 ** 40 + 3];
  const expected: string[] = [];
  for (let r = 0; r < 30000; r++)
    for (const v of values) {
      s.int(v + r);
      s.char(10);
      expected.push(`${v + r}\n`);
    }
  s.text('tail ');
  s.binary(Buffer.from('bytes'));
  writeIdLines(s, [0, 1, 2, 3, 4], 2);
  const { bytes, sha256 } = s.close();
  const want = `${expected.join('')}tail bytes1,2\n3,4\n5\n`;
  const got = readFileSync(path, 'latin1');
  expect(got.length).toBe(want.length);
  expect(got === want).toBe(true);
  expect(bytes).toBe(want.length);
  expect(sha256).toBe(createHash('sha256').update(want, 'latin1').digest('hex'));
});
