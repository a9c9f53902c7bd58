// Where the desktop's keys are kept right now, and how keys given in Settings are bound to their endpoint.
// With a keyring (or when the user chose to store keys without one) that is the secret store on disk; on Linux
// without a keyring (Electron's safeStorage backend `basic_text`, which only obfuscates) it is memory, for this
// session. Keys reach the offload path through this store, never through settings or the renderer.
import type { Endpoints, SecretName } from '../cloud/config';
import { bindingInForce, KEY_NAMES, modalBinding, s3Binding, storedKeys, type KeyService } from '../cloud/key-binding';
import { readSetting, setting, writeSetting, type SettingsStore } from '../util/settings';
import { MemorySecretStore, type SecretStore } from './secrets';

const PERSIST_WITHOUT_KEYRING = setting('desktop.persistKeysWithoutKeyring', (z) => z.boolean());
const SERVICES = Object.keys(KEY_NAMES) as KeyService[];
const ALL_NAMES: SecretName[] = SERVICES.flatMap((s) => Object.values(KEY_NAMES[s]));

export interface SecretSession extends SecretStore {
  /** Keys are on disk (true) or in memory for this session (false). */
  persist(): boolean;
  /** Without a keyring: move the keys to disk (true) or back into memory (false). */
  setPersist(on: boolean): void;
  readonly encrypted: boolean;
  /** What happened to an unreadable secrets file, in words (FileSecretStore). */
  readonly notice: string | null;
}

export function secretSession(
  stored: SecretStore & { notice?: string | null },
  keyring: string | null | undefined,
  settings: SettingsStore,
): SecretSession {
  const noKeyring = keyring === 'basic_text';
  const memory = new MemorySecretStore();
  const persist = () => !noKeyring || readSetting(settings, PERSIST_WITHOUT_KEYRING) === true;
  const here = () => (persist() ? stored : memory);
  return {
    get: (n) => here().get(n),
    set: (n, v) => here().set(n, v),
    has: (n) => here().has(n),
    persist,
    setPersist(on) {
      if (!noKeyring || on === persist()) return;
      const [from, to] = on ? [memory, stored] : [stored, memory];
      for (const n of ALL_NAMES) {
        to.set(n, from.get(n));
        from.set(n, null);
      }
      writeSetting(settings, PERSIST_WITHOUT_KEYRING, on);
    },
    encrypted: !!keyring && !noKeyring,
    get notice() {
      return stored.notice ?? null;
    },
  };
}

/**
 * Keys given for `service` in Settings (undefined: not typed; '': clear), bound to the endpoint in force after the
 * save. Stored keys bound elsewhere are dropped when new keys arrive or the endpoint in force moved, so the store
 * never keeps keys it would not send. Runs on the real store (save) and on an overlay (the connection test).
 */
export function giveKeys(
  secrets: SecretStore,
  service: KeyService,
  typed: { id?: string; secret?: string },
  before: Endpoints,
  after: Endpoints,
): void {
  const n = KEY_NAMES[service];
  const inForce = bindingInForce(service, after);
  const typedAny = typed.id !== undefined || typed.secret !== undefined;
  const moved = bindingInForce(service, before) !== inForce;
  if ((typedAny || moved) && secrets.get(n.boundTo) !== inForce)
    for (const name of [n.id, n.secret, n.boundTo]) secrets.set(name, null);
  if (typed.id !== undefined) secrets.set(n.id, typed.id || null);
  if (typed.secret !== undefined) secrets.set(n.secret, typed.secret || null);
  if (typedAny) secrets.set(n.boundTo, inForce && (secrets.has(n.id) || secrets.has(n.secret)) ? inForce : null);
}

/** Both keys of `service` are stored for the endpoint in force (what Settings shows as "stored"). */
export const hasKeysFor = (secrets: SecretStore, service: KeyService, where: Endpoints): boolean =>
  storedKeys(service, secrets, where) !== null;

/**
 * Keys stored before bindings were recorded were kept for the saved Modal URL or S3 endpoint (a new one forgot
 * them): bind them to it, or to the one in force when none is saved.
 */
export function bindUnboundKeys(
  secrets: SecretStore,
  saved: { modalUrl: string | null; s3Endpoint: string | null },
  where: Endpoints,
): void {
  for (const service of SERVICES) {
    const n = KEY_NAMES[service];
    if (secrets.get(n.boundTo) || !(secrets.has(n.id) || secrets.has(n.secret))) continue;
    const to =
      service === 'modal'
        ? saved.modalUrl
          ? modalBinding(saved.modalUrl)
          : bindingInForce('modal', where)
        : saved.s3Endpoint
          ? s3Binding(saved.s3Endpoint)
          : bindingInForce('s3', where);
    secrets.set(n.boundTo, to);
  }
}
