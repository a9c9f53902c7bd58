// Saved settings are JSON in the job store, written by this and older versions and editable by hand: every read goes
// through the setting's schema, and a value that does not fit reads as unset (its default applies) instead of
// reaching the code as a type it is not.
import type { z, ZodType } from 'zod';

type Zod = typeof z;
/** zod, loaded when a saved value is first checked, not at start-up: the CLI's quick commands never need it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const zod = (): Zod => (require('zod') as typeof import('zod')).z;

/** A value's schema, built on first use. */
export type LazySchema<T> = () => ZodType<T>;

export interface SettingsReader {
  getSetting<T>(key: string, schema: LazySchema<T>): T | null;
}
export interface SettingsStore extends SettingsReader {
  /** null deletes. */
  setSetting(key: string, value: unknown): void;
}

/** One saved setting: its key and the shape its value must have. */
export interface Setting<T> {
  key: string;
  schema: LazySchema<T>;
}

export function setting<T>(key: string, build: (z: Zod) => ZodType<T>): Setting<T> {
  let built: ZodType<T> | undefined;
  return { key, schema: () => (built ??= build(zod())) };
}

export const readSetting = <T>(store: SettingsReader, s: Setting<T>): T | null => store.getSetting(s.key, s.schema);

export const writeSetting = <T>(store: SettingsStore, s: Setting<T>, value: T | null): void =>
  store.setSetting(s.key, value);

/** `raw` (parsed JSON) checked against `schema`: the value, or null when it does not fit. */
export function checkSetting<T>(raw: unknown, schema: LazySchema<T>): T | null {
  if (raw === null || raw === undefined) return null;
  const r = schema().safeParse(raw);
  return r.success ? r.data : null;
}

/**
 * Settings as they would be after some writes, without writing them: writes stay in memory over `base`. The
 * connection test runs the dialog's values through the same code that saves them.
 */
export function settingsOverlay(base: SettingsReader): SettingsStore {
  const written = new Map<string, unknown>();
  return {
    getSetting: (key, schema) =>
      written.has(key) ? checkSetting(written.get(key), schema) : base.getSetting(key, schema),
    setSetting: (key, value) => void written.set(key, value ?? null),
  };
}
