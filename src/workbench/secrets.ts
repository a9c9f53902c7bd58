// Secrets (S3 keys, Modal key/secret) live behind this interface, never in the settings file or SQLite in clear and
// never sent back to the renderer (which only learns `hasKeys`/`hasKey`).
// Electron: an encrypted file (safeStorage) in main. Harness: a 0600 file, or memory.
import { existsSync, readFileSync, renameSync } from 'node:fs';
import type { SecretName } from '../cloud/config';
import { writeFileAtomic } from '../util/atomic-write';

export interface SecretStore {
  get(name: SecretName): string | null;
  /** null or '' deletes. */
  set(name: SecretName, value: string | null): void;
  has(name: SecretName): boolean;
}

export class MemorySecretStore implements SecretStore {
  private m = new Map<SecretName, string>();
  get(n: SecretName) {
    return this.m.get(n) ?? null;
  }
  set(n: SecretName, v: string | null) {
    if (v) this.m.set(n, v);
    else this.m.delete(n);
  }
  has(n: SecretName) {
    return this.m.has(n);
  }
}

/** Secrets as they would be after some changes, without making them: changes stay in memory over `base`. */
export class OverlaySecretStore implements SecretStore {
  private m = new Map<SecretName, string | null>();
  constructor(private readonly base: SecretStore) {}
  get(n: SecretName) {
    return this.m.has(n) ? (this.m.get(n) ?? null) : this.base.get(n);
  }
  set(n: SecretName, v: string | null) {
    this.m.set(n, v || null);
  }
  has(n: SecretName) {
    return this.get(n) !== null;
  }
}

export interface Cipher {
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

/**
 * A small JSON file of secrets, written 0600 and atomically (temp file, fsync, rename); encrypted as a whole when a
 * cipher (Electron safeStorage) is given. A file that cannot be read back (corrupt, or encrypted by another user or
 * keyring) is moved aside and the store starts empty, with a notice Settings shows, instead of breaking Settings.
 */
export class FileSecretStore implements SecretStore {
  private cache: Record<string, string> | null = null;
  /** Set when the file was moved aside: what happened, in words. */
  notice: string | null = null;
  constructor(
    private readonly file: string,
    private readonly cipher?: Cipher,
  ) {}

  private load(): Record<string, string> {
    if (this.cache) return this.cache;
    if (!existsSync(this.file)) return (this.cache = {});
    try {
      const raw = readFileSync(this.file);
      const text = this.cipher ? this.cipher.decrypt(raw) : raw.toString('utf8');
      const parsed = JSON.parse(text) as unknown;
      if (
        !parsed ||
        typeof parsed !== 'object' ||
        Array.isArray(parsed) ||
        Object.values(parsed).some((v) => typeof v !== 'string')
      )
        throw new Error('not a table of keys');
      this.cache = parsed as Record<string, string>;
    } catch (e) {
      const aside = `${this.file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(this.file, aside);
      // Never quote the file: it holds keys.
      this.notice = `The stored keys could not be read (${e instanceof SyntaxError ? 'not valid JSON' : 'corrupt, or encrypted for another user or keyring'}); the file was moved to ${aside}. Enter the keys again.`;
      this.cache = {};
    }
    return this.cache;
  }

  private save() {
    const text = JSON.stringify(this.cache ?? {});
    writeFileAtomic(this.file, this.cipher ? this.cipher.encrypt(text) : text, 0o600);
  }

  get(n: SecretName) {
    return this.load()[n] ?? null;
  }
  set(n: SecretName, v: string | null) {
    const all = this.load();
    if (v) all[n] = v;
    else delete all[n];
    this.save();
  }
  has(n: SecretName) {
    return n in this.load();
  }
}
