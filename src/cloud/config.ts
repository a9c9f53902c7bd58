// Where offloaded jobs go: the compute switch, the S3 bucket/endpoint and the Modal endpoint, from the environment
// (what `meshbench cloud-local` prints, CI, shells) over the persisted settings (the desktop's settings page).
// AWS credentials are not read here unless stored as secrets: the SDK's standard chain finds them.
import { keysRefusedOver } from './key-transport';
import type { Backend } from '../contract/job';
import type { S3Settings } from './s3';

export interface SettingsReader {
  getSetting<T = unknown>(key: string): T | null;
}
export interface SecretsReader {
  get(name: 's3.accessKeyId' | 's3.secretAccessKey' | 'modal.key' | 'modal.secret'): string | null;
}

import { DEFAULT_EC2_BASELINE_USD_PER_HOUR } from './cost';

const BACKENDS: Backend[] = ['local', 'modal', 'auto'];

/** Keys of the persisted settings this module reads (store.getSetting). */
export const SETTING = {
  compute: 'compute',
  s3: 's3',
  modal: 'modal',
  ec2: 'ec2BaselineUsdPerHour',
} as const;

export interface OffloadConfig {
  compute: Backend;
  computeSource: 'env' | 'setting' | 'default';
  /** null when no bucket is configured. */
  s3: S3Settings | null;
  /** null when no Modal URL is configured. */
  modal: { url: string; key: string | null; secret: string | null } | null;
  ec2BaselineUsdPerHour: number;
  /** What is missing for offloading, as the names to set (empty when complete). */
  missing: string[];
}

class ConfigValueError extends Error {}

function parseBackend(v: string, from: string): Backend {
  const b = v.trim().toLowerCase();
  if ((BACKENDS as string[]).includes(b)) return b as Backend;
  // The old system's flag, USE_MODAL_COMPUTE=true|false, maps onto the new switch.
  if (['true', '1', 'yes'].includes(b)) return 'modal';
  if (['false', '0', 'no'].includes(b)) return 'local';
  throw new ConfigValueError(`${from} is "${v}"; expected local, modal or auto.`);
}

export function resolveOffloadConfig(
  opts: { env?: NodeJS.ProcessEnv; settings?: SettingsReader | null; secrets?: SecretsReader | null } = {},
): OffloadConfig {
  const env = opts.env ?? process.env;
  const get = <T>(k: string): T | null => (opts.settings ? opts.settings.getSetting<T>(k) : null);
  const sec = (n: Parameters<SecretsReader['get']>[0]) => opts.secrets?.get(n) ?? null;

  let compute: Backend = 'local';
  let computeSource: OffloadConfig['computeSource'] = 'default';
  if (env.MESHBENCH_COMPUTE) {
    compute = parseBackend(env.MESHBENCH_COMPUTE, 'MESHBENCH_COMPUTE');
    computeSource = 'env';
  } else if (env.USE_MODAL_COMPUTE) {
    compute = parseBackend(env.USE_MODAL_COMPUTE, 'USE_MODAL_COMPUTE');
    computeSource = 'env';
  } else {
    const s = get<string>(SETTING.compute);
    if (s) {
      compute = parseBackend(s, 'the saved compute setting');
      computeSource = 'setting';
    }
  }

  const s3Set =
    get<{ bucket?: string; region?: string; endpoint?: string | null; profile?: string | null }>(SETTING.s3) ?? {};
  const bucket = env.MESHBENCH_S3_BUCKET || s3Set.bucket || '';
  const endpoint = env.MESHBENCH_S3_ENDPOINT || s3Set.endpoint || null;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || s3Set.region || 'us-east-1';
  const akid = sec('s3.accessKeyId');
  const skey = sec('s3.secretAccessKey');
  // Keys in the given environment first (as the SDK's env provider would), then stored keys; else the SDK's chain.
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        }
      : akid && skey
        ? { accessKeyId: akid, secretAccessKey: skey }
        : undefined;
  // An S3-compatible endpoint over plain http off this machine would carry the keys' signatures in clear.
  const s3Refused = bucket && endpoint ? keysRefusedOver(endpoint, 'The S3 endpoint') : null;
  const s3: S3Settings | null =
    bucket && !s3Refused
      ? {
          bucket,
          region,
          endpoint,
          credentials,
          profile: env.AWS_PROFILE ? undefined : (s3Set.profile ?? undefined),
        }
      : null;

  const modalSet = get<{ url?: string }>(SETTING.modal) ?? {};
  const url = (env.MESHBENCH_MODAL_URL || modalSet.url || '').replace(/\/+$/, '');
  const modalRefused = url ? keysRefusedOver(url, 'The Modal URL') : null;
  const modal = url
    ? modalRefused
      ? { url, key: null, secret: null } // never handed to a client that would send them in clear
      : { url, key: env.MODAL_KEY || sec('modal.key'), secret: env.MODAL_SECRET || sec('modal.secret') }
    : null;

  const ec2 = Number(env.MESHBENCH_EC2_USD_PER_HOUR || get<number>(SETTING.ec2) || DEFAULT_EC2_BASELINE_USD_PER_HOUR);

  const missing: string[] = [];
  if (s3Refused) missing.push(`an https S3 endpoint (${s3Refused})`);
  else if (!s3) missing.push('MESHBENCH_S3_BUCKET');
  if (!modal) missing.push('MESHBENCH_MODAL_URL');
  else if (modalRefused) missing.push(`an https Modal URL (${modalRefused})`);
  else if (!modal.key || !modal.secret) missing.push('MODAL_KEY/MODAL_SECRET');
  return {
    compute,
    computeSource,
    s3,
    modal,
    ec2BaselineUsdPerHour: Number.isFinite(ec2) && ec2 > 0 ? ec2 : DEFAULT_EC2_BASELINE_USD_PER_HOUR,
    missing,
  };
}

/** One sentence on what to set, for errors and `doctor`. */
export function missingHint(c: OffloadConfig): string {
  return c.missing.length
    ? `Set ${c.missing.join(', ')} (or save them in the settings), or start a local stand-in with \`meshbench cloud-local\` and export the env it prints.`
    : '';
}
