// How a local-size target reads (`--size GROUP=h`): shared by the engine (planning) and the renderer (the preview
// coloured by target size), so both understand the same names.
import type { UserGroup } from './job';

export type SizeTarget = { dim: 2 | 3; tags: number[] };

const LIST = /^(face|body):\s*(\d+(?:\s*,\s*\d+)*)$/;
const AUTO = /^(Face|Body)_(\d+)$/;

/** `face:3,7`, `body:1`, one of the user's groups, `Face_<n>` or `Body_<n>`; null when it names nothing known. */
export function parseSizeTarget(target: string, groups: readonly UserGroup[] = []): SizeTarget | null {
  const list = LIST.exec(target);
  if (list) return { dim: list[1] === 'face' ? 2 : 3, tags: list[2].split(',').map((t) => Number(t.trim())) };
  const user = groups.find((g) => g.name === target);
  if (user) return { dim: user.dim, tags: [...user.tags] };
  const auto = AUTO.exec(target);
  if (auto) return { dim: auto[1] === 'Face' ? 2 : 3, tags: [Number(auto[2])] };
  return null;
}
