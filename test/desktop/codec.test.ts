// Harness wire format: typed arrays survive as raw bytes, in any nesting, at any alignment.
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../src/web/codec';
import { validateArgs } from '../../src/workbench/validate';
import { DEFAULT_SETTINGS } from '../../src/contract/job';

describe('codec', () => {
  it('round-trips nested typed arrays of every kind with plain JSON around them', () => {
    const msg = {
      id: 7,
      result: {
        name: 'päart',
        nodes: new Float32Array([1.5, -2, 3e10]),
        tets: new Uint32Array([0, 1, 2, 3]),
        tags: new Int32Array([-1, 5]),
        bytes: new Uint8Array([1, 2, 3]),
        quality: { sicn: new Float32Array([0.1, 0.9]), f64: new Float64Array([Math.PI]) },
        list: [new Uint16Array([65535]), null, 3],
      },
    };
    const back = decodeMessage(encodeMessage(msg)) as typeof msg;
    expect(back.id).toBe(7);
    expect(back.result.name).toBe('päart');
    expect(back.result.nodes).toBeInstanceOf(Float32Array);
    expect([...back.result.nodes]).toEqual([1.5, -2, Math.fround(3e10)]);
    expect([...back.result.tets]).toEqual([0, 1, 2, 3]);
    expect([...back.result.tags]).toEqual([-1, 5]);
    expect([...back.result.bytes]).toEqual([1, 2, 3]);
    expect(back.result.quality.f64[0]).toBe(Math.PI);
    expect(back.result.list[0]).toBeInstanceOf(Uint16Array);
    expect(back.result.list[1]).toBeNull();
  });

  it('decodes from an unaligned view (copying where needed)', () => {
    const frame = encodeMessage({ a: new Float64Array([1, 2]), b: new Uint8Array([9]) });
    const shifted = new Uint8Array(frame.length + 3);
    shifted.set(frame, 3);
    const back = decodeMessage(shifted.subarray(3)) as { a: Float64Array; b: Uint8Array };
    expect([...back.a]).toEqual([1, 2]);
    expect([...back.b]).toEqual([9]);
  });

  it('moves a 1M-tet payload intact', () => {
    const tets = new Uint32Array(4_000_000).map((_, i) => i);
    const sicn = new Float32Array(1_000_000).map((_, i) => i / 1_000_000);
    const frame = encodeMessage({ tets, sicn });
    const back = decodeMessage(frame) as { tets: Uint32Array; sicn: Float32Array };
    expect(back.tets).toBeInstanceOf(Uint32Array);
    expect(back.tets[3_999_999]).toBe(3_999_999);
    expect(back.sicn[999_999]).toBe(sicn[999_999]);
  });
});

describe('validation', () => {
  it('accepts a good job spec and refuses unknown fields and bad values', () => {
    expect(
      validateArgs('submitJob', [{ inputPath: '/a.step', settings: DEFAULT_SETTINGS, backend: 'auto' }])[0].backend,
    ).toBe('auto');
    expect(() =>
      validateArgs('submitJob', [
        { inputPath: '/a.step', settings: { ...DEFAULT_SETTINGS, sizeFactor: -1 }, backend: 'local' },
      ]),
    ).toThrow(/sizeFactor/);
    expect(() =>
      validateArgs('submitJob', [
        { inputPath: '/a.step', settings: DEFAULT_SETTINGS, backend: 'local', shell: 'rm -rf' },
      ]),
    ).toThrow(/submitJob/);
    expect(() => validateArgs('importFile', ['../evil.step', new Uint8Array(1)])).toThrow(/file name/);
    expect(() => validateArgs('importFile', ['ok.step', 'not bytes'])).toThrow(/importFile/);
    expect(() => validateArgs('jobLog', ['abc', -1, 10])).toThrow(/jobLog/);
    expect(() => validateArgs('nope' as never, [])).toThrow(/unknown operation/);
  });
});
