// Secrets (S3 keys, Modal key/secret) live behind this interface, never in the settings file or SQLite in clear and
// never sent back to the renderer (which only learns `hasKeys`/`hasKey`).
// Electron: an encrypted file (safeStorage) in main. Harness: a 0600 file, or memory.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type SecretName = 's3.accessKeyId' | 's3.secretAccessKey' | 'modal.key' | 'modal.secret';

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

export interface Cipher {
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

/** A small JSON file of secrets, written 0600; encrypted as a whole when a cipher (Electron safeStorage) is given. */
export class FileSecretStore implements SecretStore {
  private cache: Record<string, string> | null = null;
  constructor(
    private readonly file: string,
    private readonly cipher?: Cipher,
  ) {}

  private load(): Record<string, string> {
    if (this.cache) return this.cache;
    if (!existsSync(this.file)) return (this.cache = {});
    const raw = readFileSync(this.file);
    const text = this.cipher ? this.cipher.decrypt(raw) : raw.toString('utf8');
    this.cache = JSON.parse(text) as Record<string, string>;
    return this.cache;
  }

  private save() {
    const text = JSON.stringify(this.cache ?? {});
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, this.cipher ? this.cipher.encrypt(text) : text, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
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
