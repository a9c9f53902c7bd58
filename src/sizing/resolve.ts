// Local-size targets as the user writes them (a group name, Body_<n>, Face_<n>, face:3,7, body:1) to CAD entities.
// Resolved once when the job is planned, so a bad name fails the job up front with the names that would work.
import type { ResolvedLocalSize } from '../contract/attempt';
import type { LocalSize, UserGroup } from '../contract/job';
import { parseSizeTarget } from '../contract/size-target';
import { ConfigError } from '../util/errors';

export function resolveLocalSizes(local: readonly LocalSize[], groups: readonly UserGroup[] = []): ResolvedLocalSize[] {
  return local.map(({ target, size }) => {
    if (!(Number.isFinite(size) && size > 0))
      throw new ConfigError('invalid-size', `--size ${target}=${size}: the size must be a positive number.`);
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

/** Checks the numbers of a sizing request; the message names the flag. */
export function checkSizing(s: {
  sizeMin?: number;
  sizeMax?: number;
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
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) bad(flag, 'the size must be a positive number.');
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
