// Group names that every export format accepts: [A-Za-z_][A-Za-z0-9_]*, at most 64 characters. A name from the
// CAD is sanitised (its original stays the group's label); a name the user types must already be one.
import { reservedGroupProblem } from '../contract/groups';

export const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function sanitizeGroupName(label: string, fallback: string): string {
  let s = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents off their letters
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!s) return fallback;
  if (!/^[A-Za-z_]/.test(s)) s = `_${s}`;
  return s.slice(0, 64);
}

/** Why a user's group name is not usable (not plain, or one of the automatic groups' names), or null. */
export function groupNameProblem(name: string): string | null {
  if (GROUP_NAME.test(name)) return reservedGroupProblem(name);
  if (name.length > 64) return 'it is longer than 64 characters';
  return 'a group name is a letter or _ followed by letters, digits or _ (no spaces or punctuation), so every solver format accepts it';
}
