// Numbers for people, and the viewer's pick of the worst elements.
import { describe, expect, it } from 'vitest';
import { fmtMs, fmtNum } from '../../renderer/src/format';
import { worstIndices } from '../../renderer/src/viewer/scene';

describe('fmtNum', () => {
  it('shows rounding noise next to the part size as 0, and about four significant digits', () => {
    expect(fmtNum(-1.776e-15, 4, 100)).toBe('0');
    expect(fmtNum(12.34567)).toBe('12.35');
    expect(fmtNum(100)).toBe('100');
    expect(fmtNum(null)).toBe('—');
  });
  it('keeps a time on one line (no-break space between number and unit)', () => {
    expect(fmtMs(481)).toBe('481\u00a0ms');
    expect(fmtMs(1234)).toBe('1.23\u00a0s');
  });
});

describe('worstIndices', () => {
  it('returns the n worst values, worst first, for either direction', () => {
    const v = [0.5, 0.1, 0.9, 0.05, 0.3, 0.2];
    expect(worstIndices(v, 3, true)).toEqual([3, 1, 5]);
    expect(worstIndices(v, 2, false)).toEqual([2, 0]);
    expect(worstIndices(v, 10, true)).toHaveLength(6);
  });
});
