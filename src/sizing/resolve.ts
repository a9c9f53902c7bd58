// Local-size targets as the user writes them (a group name, Body_<n>, Face_<n>, face:3,7, body:1) to CAD entities.
// Resolved once when the job is planned, so a bad name fails the job up front with the names that would work.
import type { ResolvedLocalSize } from '../contract/attempt';
import type { LocalSize, SizingSettings, UserGroup } from '../contract/job';
import { parseSizeTarget } from '../contract/size-target';
import { ConfigError } from '../util/errors';

/**
 * The sizes a mesh can be made of, in the model's unit (mm). Before the part is read: positive, finite and from 1e-6
 * (a nanometre) to 1e9 (a thousand kilometres), so nothing computed from them overflows. Once its size D (the
 * diagonal of its bounding box) is known: --size-max and local sizes at least D/100,000 (below that a face as large
 * as the part needs ~10^10 triangles: no machine finishes it), and every size at most 1,000 D (beyond the part it
 * changes nothing: a typo or a unit slip). --size-min may be as small as it likes: it only lets elements shrink.
 */
const SIZE_RANGE = { min: 1e-6, max: 1e9, finestRatio: 1e-5, coarsestRatio: 1e3 } as const;

function checkSize(flag: string, v: number): void {
  if (!(Number.isFinite(v) && v > 0))
    throw new ConfigError('invalid-size', `${flag}=${v}: the size must be a positive number.`);
  if (v < SIZE_RANGE.min || v > SIZE_RANGE.max)
    throw new ConfigError('invalid-size', `${flag}=${v}: a size must be from 1e-6 to 1e9 (the part's units, mm).`);
}

/** The job asks for a size of its own (a maximum, a minimum or a local size). */
export const hasSizes = (s: SizingSettings | undefined): s is SizingSettings =>
  !!s && (s.sizeMin !== undefined || s.sizeMax !== undefined || !!s.local?.length);

const p3 = (x: number) => Number(x.toPrecision(3));

/** Checks the job's sizes against the part's size (its bounding-box diagonal, mm); no check when it is unknown. */
export function checkSizesAgainstPart(s: SizingSettings | undefined, diagonal: number): void {
  if (!s || !(Number.isFinite(diagonal) && diagonal > 0)) return;
  const finest = diagonal * SIZE_RANGE.finestRatio;
  const coarsest = diagonal * SIZE_RANGE.coarsestRatio;
  const part = `the part's size (its bounding box diagonal is ${p3(diagonal)} mm)`;
  const sizes: [string, number | undefined, boolean][] = [
    ['--size-max', s.sizeMax, true],
    ['--size-min', s.sizeMin, false],
    ...(s.local ?? []).map((l): [string, number, boolean] => [`--size ${l.target}`, l.size, true]),
  ];
  for (const [flag, v, bounded] of sizes) {
    if (v === undefined) continue;
    if (bounded && v < finest)
      throw new ConfigError(
        'size-out-of-range',
        `${flag}=${v} is below 1/100,000 of ${part}: elements that small would take more memory and time than any machine has.`,
        `Use at least ${p3(finest)}.`,
      );
    if (v > coarsest)
      throw new ConfigError(
        'size-out-of-range',
        `${flag}=${v} is above 1,000 times ${part}: a size beyond the part cannot change its mesh.`,
        `Use at most ${p3(coarsest)}, or leave it out.`,
      );
  }
}

export function resolveLocalSizes(local: readonly LocalSize[], groups: readonly UserGroup[] = []): ResolvedLocalSize[] {
  return local.map(({ target, size }) => {
    checkSize(`--size ${target}`, size);
    const t = parseSizeTarget(target, groups);
    if (t) return { target, size, ...t };
    const names = groups.map((g) => g.name);
    throw new ConfigError(
      'unknown-group',
      `--size ${target}=${size}: there is no group named "${target}".`,
      `Use one of your groups${names.length ? ` (${names.join(', ')})` : ''}, Body_<n> or Face_<n>, or CAD tags directly: face:3,7 or body:1 (meshbench faces PART lists them).`,
    );
  });
}

/** Checks the numbers of a sizing request (local sizes too, when given); the message names the flag. */
export function checkSizing(s: {
  sizeMin?: number;
  sizeMax?: number;
  local?: readonly { target: string; size: number }[];
  growth?: number;
  curvature?: number;
  targetElements?: number;
}): void {
  const bad = (flag: string, why: string) => {
    throw new ConfigError('invalid-size', `${flag}: ${why}`);
  };
  for (const [flag, v] of [
    ['--size-min', s.sizeMin],
    ['--size-max', s.sizeMax],
  ] as const)
    if (v !== undefined) checkSize(flag, v);
  for (const l of s.local ?? []) checkSize(`--size ${l.target}`, l.size);
  if (s.sizeMin !== undefined && s.sizeMax !== undefined && s.sizeMin > s.sizeMax)
    bad('--size-min', `${s.sizeMin} is larger than --size-max ${s.sizeMax}.`);
  if (s.growth !== undefined && !(Number.isFinite(s.growth) && s.growth > 1 && s.growth <= 10))
    bad(
      '--growth',
      'the ratio between neighbouring elements must be above 1 (1.2 is gentle, 2 is fast) and at most 10.',
    );
  if (s.curvature !== undefined && !(Number.isInteger(s.curvature) && s.curvature >= 3 && s.curvature <= 1000))
    bad('--curvature', 'elements per 2π must be a whole number from 3 to 1000.');
  if (
    s.targetElements !== undefined &&
    !(Number.isInteger(s.targetElements) && s.targetElements >= 100 && s.targetElements <= 100_000_000)
  )
    bad('--target-elements', 'the count must be a whole number from 100 to 100,000,000.');
}
