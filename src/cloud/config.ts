// Where offloaded jobs go: the compute switch, the S3 bucket/endpoint and the Modal endpoint, from the environment
// (what `meshbench cloud-local` prints, CI, shells) over the persisted settings (the desktop's settings page).
// Which keys go with the endpoint in force is src/cloud/key-binding.ts's rule; when it allows the environment's,
// and none are set as variables, the AWS SDK's standard chain finds them.
import { keysRefusedOver } from './key-transport';
import { envModalKeysBound, envS3KeysBound, s3Binding, storedKeys } from './key-binding';
import type { Backend } from '../contract/job';
import type { S3Settings } from './s3';
import { readSetting, setting, type Setting, type SettingsReader } from '../util/settings';
import { DEFAULT_EC2_BASELINE_USD_PER_HOUR } from './cost';

/** Names in the secret store: each service's keys and the endpoint they were given for (src/cloud/key-binding.ts). */
export type SecretName =
  's3.accessKeyId' | 's3.secretAccessKey' | 's3.keysFor' | 'modal.key' | 'modal.secret' | 'modal.keysFor';
export interface SecretsReader {
  get(name: SecretName): string | null;
}

const BACKENDS: Backend[] = ['local', 'modal', 'auto'];

/** The persisted offload settings (saved by the desktop, read by every shell), each read through its schema. */
export const OFFLOAD_SETTINGS = {
  compute: setting('compute', (z) => z.string()),
  s3: setting('s3', (z) =>
    z.object({
      bucket: z.string().optional(),
      region: z.string().optional(),
      endpoint: z.string().nullable().optional(),
      profile: z.string().nullable().optional(),
    }),
  ),
  modal: setting('modal', (z) => z.object({ url: z.string().nullable().optional() })),
  ec2: setting('ec2BaselineUsdPerHour', (z) => z.number()),
};

/** The Modal URL and S3 endpoint in force, and whether the environment named them. */
export interface Endpoints {
  /** '' when none is configured. */
  modalUrl: string;
  modalFromEnv: boolean;
  /** null: AWS itself. */
  s3Endpoint: string | null;
  s3FromEnv: boolean;
}

/** The environment wins over the saved settings, as for every offload value. */
export function endpointsInForce(env: NodeJS.ProcessEnv, settings: SettingsReader | null | undefined): Endpoints {
  const s3 = (settings && readSetting(settings, OFFLOAD_SETTINGS.s3)) ?? {};
  const modal = (settings && readSetting(settings, OFFLOAD_SETTINGS.modal)) ?? {};
  return {
    modalUrl: (env.MESHBENCH_MODAL_URL || modal.url || '').replace(/\/+$/, ''),
    modalFromEnv: !!env.MESHBENCH_MODAL_URL,
    s3Endpoint: env.MESHBENCH_S3_ENDPOINT || s3.endpoint || null,
    s3FromEnv: !!env.MESHBENCH_S3_ENDPOINT,
  };
}

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
  const read = <T>(s: Setting<T>): T | null => (opts.settings ? readSetting(opts.settings, s) : null);

  let compute: Backend = 'local';
  let computeSource: OffloadConfig['computeSource'] = 'default';
  if (env.MESHBENCH_COMPUTE) {
    compute = parseBackend(env.MESHBENCH_COMPUTE, 'MESHBENCH_COMPUTE');
    computeSource = 'env';
  } else if (env.USE_MODAL_COMPUTE) {
    compute = parseBackend(env.USE_MODAL_COMPUTE, 'USE_MODAL_COMPUTE');
    computeSource = 'env';
  } else {
    const s = read(OFFLOAD_SETTINGS.compute);
    if (s) {
      compute = parseBackend(s, 'the saved compute setting');
      computeSource = 'setting';
    }
  }

  const where = endpointsInForce(env, opts.settings);
  const s3Set = read(OFFLOAD_SETTINGS.s3) ?? {};
  const bucket = env.MESHBENCH_S3_BUCKET || s3Set.bucket || '';
  const endpoint = where.s3Endpoint;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || s3Set.region || 'us-east-1';
  // Keys in the environment first (as the SDK's env provider would), then stored keys, each only where bound; else
  // the SDK's chain, which is the environment's too.
  const envS3 = envS3KeysBound(where);
  const stored = storedKeys('s3', opts.secrets, where);
  const credentials =
    envS3 && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        }
      : stored
        ? { accessKeyId: stored.id, secretAccessKey: stored.secret }
        : undefined;
  // An S3-compatible endpoint over plain http off this machine would carry the keys' signatures in clear.
  const s3Refused = bucket && endpoint ? keysRefusedOver(endpoint, 'The S3 endpoint') : null;
  // A saved endpoint with no keys given for it: nothing may sign for it (the SDK's chain would use the environment's).
  const s3Keyless = !!bucket && !s3Refused && !credentials && !envS3;
  const s3: S3Settings | null =
    bucket && !s3Refused && !s3Keyless
      ? {
          bucket,
          region,
          endpoint,
          credentials,
          profile: env.AWS_PROFILE || !envS3 ? undefined : (s3Set.profile ?? undefined),
        }
      : null;

  const url = where.modalUrl;
  const modalRefused = url ? keysRefusedOver(url, 'The Modal URL') : null;
  const envModal = env.MODAL_KEY && env.MODAL_SECRET ? { id: env.MODAL_KEY, secret: env.MODAL_SECRET } : null;
  const keys = (envModalKeysBound(where) ? envModal : null) ?? storedKeys('modal', opts.secrets, where);
  const modal = url
    ? modalRefused
      ? { url, key: null, secret: null } // never handed to a client that would send them in clear
      : { url, key: keys?.id ?? null, secret: keys?.secret ?? null }
    : null;

  const ec2 = Number(env.MESHBENCH_EC2_USD_PER_HOUR || read(OFFLOAD_SETTINGS.ec2) || DEFAULT_EC2_BASELINE_USD_PER_HOUR);

  const missing: string[] = [];
  if (s3Refused) missing.push(`an https S3 endpoint (${s3Refused})`);
  else if (s3Keyless)
    missing.push(
      `S3 keys for ${s3Binding(endpoint)} (typed in Settings; AWS keys from the environment go only to AWS or to the environment's MESHBENCH_S3_ENDPOINT)`,
    );
  else if (!s3) missing.push('MESHBENCH_S3_BUCKET');
  if (!modal) missing.push('MESHBENCH_MODAL_URL');
  else if (modalRefused) missing.push(`an https Modal URL (${modalRefused})`);
  else if (!modal.key || !modal.secret)
    missing.push(
      envModal && !envModalKeysBound(where)
        ? `MODAL_KEY/MODAL_SECRET for ${url} (those in the environment go only to the environment's MESHBENCH_MODAL_URL)`
        : 'MODAL_KEY/MODAL_SECRET',
    );
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
