// The store's rows as the engine reads them: a schema per query, each column with its kind, checked as the row is
// read. A column of another type (a damaged or hand-edited store, a migration gone wrong) is an error naming the
// table and the column, never a wrong value passed on. JSON columns are text here; the store parses them as it wrote
// them, from typed values (json() below).
import type { AttemptStatus, Backend, InputFormat, JobStatus, LogLine, ResolvedBackend } from '../../contract/job';

/** A closed set of text values, as an object whose keys are the values (so the type follows the list). */
type OneOf = Readonly<Record<string, true>>;
type Kind = 'text' | 'text?' | 'number' | 'number?' | OneOf | { nullable: OneOf };

type ValueOf<K> = K extends 'text'
  ? string
  : K extends 'text?'
    ? string | null
    : K extends 'number'
      ? number
      : K extends 'number?'
        ? number | null
        : K extends { nullable: infer O }
          ? (keyof O & string) | null
          : keyof K & string;

export type Schema = Readonly<Record<string, Kind>>;
export type RowOf<S extends Schema> = { [C in keyof S]: ValueOf<S[C]> };

const JOB_STATUS = {
  queued: true,
  running: true,
  completed: true,
  failed: true,
  cancelled: true,
  interrupted: true,
  rejected: true,
} as const satisfies Record<JobStatus, true>;
const ATTEMPT_STATUS = {
  queued: true,
  running: true,
  completed: true,
  failed: true,
  skipped: true,
  cancelled: true,
} as const satisfies Record<AttemptStatus, true>;
const BACKEND = { local: true, modal: true, auto: true } as const satisfies Record<Backend, true>;
const RESOLVED_BACKEND = { local: true, modal: true } as const satisfies Record<ResolvedBackend, true>;
const INPUT_FORMAT = {
  step: true,
  iges: true,
  brep: true,
  'stl-ascii': true,
  'stl-binary': true,
} as const satisfies Record<InputFormat, true>;
const LOG_LEVEL = { info: true, warning: true, error: true, debug: true } as const satisfies Record<
  LogLine['level'],
  true
>;
const REMOTE_KIND = { modal: true, s3: true } as const;

export const JOB_ROW = {
  id: 'text',
  status: JOB_STATUS,
  requested_backend: BACKEND,
  backend: { nullable: RESOLVED_BACKEND },
  fallback_json: 'text?',
  input_path: 'text',
  input_sha256: 'text?',
  input_bytes: 'number?',
  input_format: { nullable: INPUT_FORMAT },
  settings_json: 'text',
  strategy: 'text?',
  winner_index: 'number?',
  score: 'number?',
  mesh_json: 'text?',
  quality_json: 'text?',
  timings_json: 'text?',
  transfer_json: 'text?',
  cost_json: 'text?',
  groups_json: 'text?',
  exports_json: 'text?',
  error_json: 'text?',
  stopped_json: 'text?',
  geometry_json: 'text?',
  requested_json: 'text?',
  modal_call_id: 'text?',
  modal_status: 'text?',
  modal_started_at: 'text?',
  modal_completed_at: 'text?',
  out_dir: 'text?',
  created_at: 'text',
  started_at: 'text?',
  finished_at: 'text?',
} as const satisfies Schema;

export const ATTEMPT_ROW = {
  idx: 'number',
  strategy: 'text',
  status: ATTEMPT_STATUS,
  argv_json: 'text?',
  score: 'number?',
  error: 'text?',
  seconds: 'number?',
  result_json: 'text?',
  gmsh_pid: 'number?',
  gmsh_start: 'text?',
  modal_call_id: 'text?',
  modal_status: 'text?',
} as const satisfies Schema;

export const OWNER_ROW = { id: 'text', owner_pid: 'number?', owner_start: 'text?' } as const satisfies Schema;
export const WIN_ROW = { id: 'text', strategy: 'text', finished_at: 'text?' } as const satisfies Schema;
export const WIN_SETTINGS_ROW = { ...WIN_ROW, settings_json: 'text' } as const satisfies Schema;
export const LOG_ROW = {
  seq: 'number',
  ts: 'number',
  level: LOG_LEVEL,
  attempt: 'number?',
  text: 'text',
} as const satisfies Schema;
export const REMOTE_EVENT_ROW = {
  ts: 'number',
  kind: REMOTE_KIND,
  ok: 'number',
  detail: 'text?',
} as const satisfies Schema;
export const ID_ROW = { id: 'text' } as const satisfies Schema;
export const COUNT_ROW = { n: 'number' } as const satisfies Schema;
export const MAX_ROW = { m: 'number?' } as const satisfies Schema;
export const RUNS_ROW = { strategy: 'text', n: 'number' } as const satisfies Schema;
export const VALUE_ROW = { value: 'text' } as const satisfies Schema;
export const GROUP_SPECS_ROW = { group_specs_json: 'text?' } as const satisfies Schema;

function fits(kind: Kind, v: unknown): boolean {
  if (kind === 'text') return typeof v === 'string';
  if (kind === 'text?') return v === null || typeof v === 'string';
  if (kind === 'number') return typeof v === 'number';
  if (kind === 'number?') return v === null || typeof v === 'number';
  if ('nullable' in kind && typeof kind.nullable === 'object') return v === null || fits(kind.nullable, v);
  return typeof v === 'string' && Object.hasOwn(kind, v);
}

function isRow<S extends Schema>(schema: S, raw: unknown, where: string): raw is RowOf<S> {
  if (typeof raw !== 'object' || raw === null) throw new Error(`${where}: not a row`);
  for (const [column, kind] of Object.entries(schema))
    if (!fits(kind, Reflect.get(raw, column)))
      throw new Error(`${where}: column ${column} holds ${JSON.stringify(Reflect.get(raw, column))}`);
  return true;
}

/** `raw` (one row from better-sqlite3) read through `schema`; `where` names the table in an error. */
export function rowOf<S extends Schema>(schema: S, raw: unknown, where: string): RowOf<S> {
  if (!isRow(schema, raw, where)) throw new Error(`${where}: not a row`);
  return raw;
}

/** Each of `raws` read through `schema`. */
export const rowsOf = <S extends Schema>(schema: S, raws: unknown[], where: string): RowOf<S>[] =>
  raws.map((r) => rowOf(schema, r, where));

/** A JSON column, parsed into the type the store wrote it from; null stays null. */
export function json<T>(text: string | null): T | null {
  if (text === null) return null;
  const value: T = JSON.parse(text);
  return value;
}
