// The desktop's settings and where each value in force comes from: a variable in the environment wins over a saved
// value, which wins over the default. Saving and the connection test's "as if saved" run one piece of code (`apply`)
// on the real stores or on in-memory overlays, so Test checks exactly what Save would keep.
import type { Settings, SettingSource, SettingsPatch } from '../contract/api';
import { DEFAULT_SETTINGS, type MeshSettings } from '../contract/job';
import { endpointsInForce, OFFLOAD_SETTINGS, resolveOffloadConfig, type OffloadConfig } from '../cloud/config';
import { envModalKeysBound, envS3KeysBound } from '../cloud/key-binding';
import { meshSettingsSchema } from '../jobs/spec/schema';
import { readSetting, setting, settingsOverlay, writeSetting, type SettingsStore } from '../util/settings';
import type { GmshPath } from './gmsh-path';
import { bindUnboundKeys, giveKeys, hasKeysFor, type SecretSession } from './secret-session';
import { OverlaySecretStore, type SecretStore } from './secrets';

/** The mesh settings new parts start from; fields of an older shape read as unset, the defaults fill them in. */
const DEFAULTS = setting('desktop.defaults', () => meshSettingsSchema.partial());

export interface SettingsBook {
  read(): Settings;
  save(patch: SettingsPatch): Settings;
  /** The offload configuration in force. */
  offload(): OffloadConfig;
  /** The offload configuration as it would be after saving `patch`, nothing saved. */
  offloadAsIf(patch: SettingsPatch): OffloadConfig;
}

export function settingsBook(o: {
  settings: SettingsStore;
  secrets: SecretSession;
  env: NodeJS.ProcessEnv;
  home: string;
  keyring: string | null | undefined;
  gmsh: GmshPath;
}): SettingsBook {
  const { settings: store, secrets, env } = o;
  const saved = () => ({
    s3: readSetting(store, OFFLOAD_SETTINGS.s3) ?? {},
    modal: readSetting(store, OFFLOAD_SETTINGS.modal) ?? {},
  });
  {
    const s = saved();
    bindUnboundKeys(
      secrets,
      { modalUrl: s.modal.url ?? null, s3Endpoint: s.s3.endpoint ?? null },
      endpointsInForce(env, store),
    );
  }

  /** Writes the plain values of `patch` into `settings` and its keys into `keys`, bound to their endpoint. */
  const apply = (patch: SettingsPatch, settings: SettingsStore, keys: SecretStore) => {
    const before = endpointsInForce(env, settings);
    if (patch.compute) writeSetting(settings, OFFLOAD_SETTINGS.compute, patch.compute);
    if (patch.defaults) writeSetting(settings, DEFAULTS, patch.defaults);
    if (patch.ec2BaselineUsdPerHour !== undefined)
      writeSetting(settings, OFFLOAD_SETTINGS.ec2, patch.ec2BaselineUsdPerHour);
    const { accessKeyId, secretAccessKey, hasKeys: _s, ...s3 } = patch.s3 ?? {};
    const { key, secret, hasKey: _m, ...modal } = patch.modal ?? {};
    if (patch.s3) writeSetting(settings, OFFLOAD_SETTINGS.s3, { ...readSetting(settings, OFFLOAD_SETTINGS.s3), ...s3 });
    if (patch.modal)
      writeSetting(settings, OFFLOAD_SETTINGS.modal, { ...readSetting(settings, OFFLOAD_SETTINGS.modal), ...modal });
    const after = endpointsInForce(env, settings);
    giveKeys(keys, 's3', { id: accessKeyId, secret: secretAccessKey }, before, after);
    giveKeys(keys, 'modal', { id: key, secret }, before, after);
  };

  const offload = () => resolveOffloadConfig({ env, settings: store, secrets });

  const sources = (): Settings['sources'] => {
    const { s3, modal } = saved();
    const where = endpointsInForce(env, store);
    const pick = (vars: string[], value: unknown): SettingSource => {
      const v = vars.find((x) => env[x]);
      return v
        ? { from: 'environment', variable: v }
        : value !== undefined && value !== null && value !== ''
          ? { from: 'saved' }
          : { from: 'default' };
    };
    // The keys in force: the environment's only where bound to the endpoint in force (src/cloud/key-binding.ts).
    const keys = (a: string, b: string, bound: boolean, stored: boolean): SettingSource =>
      env[a] && env[b] && bound
        ? { from: 'environment', variable: `${a} and ${b}` }
        : stored
          ? { from: 'saved' }
          : { from: 'default' };
    return {
      compute: pick(['MESHBENCH_COMPUTE', 'USE_MODAL_COMPUTE'], readSetting(store, OFFLOAD_SETTINGS.compute)),
      gmsh: o.gmsh.source(),
      's3.bucket': pick(['MESHBENCH_S3_BUCKET'], s3.bucket),
      's3.region': pick(['AWS_REGION', 'AWS_DEFAULT_REGION'], s3.region),
      's3.endpoint': pick(['MESHBENCH_S3_ENDPOINT'], s3.endpoint),
      's3.profile': pick(['AWS_PROFILE'], s3.profile),
      's3.keys': keys(
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        envS3KeysBound(where),
        hasKeysFor(secrets, 's3', where),
      ),
      'modal.url': pick(['MESHBENCH_MODAL_URL'], modal.url),
      'modal.keys': keys('MODAL_KEY', 'MODAL_SECRET', envModalKeysBound(where), hasKeysFor(secrets, 'modal', where)),
      ec2: pick(['MESHBENCH_EC2_USD_PER_HOUR'], readSetting(store, OFFLOAD_SETTINGS.ec2)),
    };
  };

  const read = (): Settings => {
    const c = offload();
    const { s3, modal } = saved();
    const where = endpointsInForce(env, store);
    const defaults: MeshSettings = { ...DEFAULT_SETTINGS, ...readSetting(store, DEFAULTS) };
    return {
      compute: c.compute,
      gmshPath: o.gmsh.chosen(),
      dataDir: o.home,
      defaults,
      s3: {
        bucket: s3.bucket ?? c.s3?.bucket ?? '',
        region: s3.region ?? c.s3?.region ?? 'us-east-1',
        endpoint: s3.endpoint ?? c.s3?.endpoint ?? null,
        profile: s3.profile ?? null,
        hasKeys: hasKeysFor(secrets, 's3', where),
      },
      modal: { url: modal.url ?? c.modal?.url ?? null, hasKey: hasKeysFor(secrets, 'modal', where) },
      ec2BaselineUsdPerHour: c.ec2BaselineUsdPerHour,
      keys: {
        backend: o.keyring ?? null,
        encrypted: secrets.encrypted,
        persist: secrets.persist(),
        notice: secrets.notice,
      },
      sources: sources(),
    };
  };

  return {
    read,
    save(patch) {
      if (patch.gmshPath === null) o.gmsh.clear();
      if (patch.persistKeys !== undefined) secrets.setPersist(patch.persistKeys);
      apply(patch, store, secrets);
      return read();
    },
    offload,
    offloadAsIf(patch) {
      const settings = settingsOverlay(store);
      const keys = new OverlaySecretStore(secrets);
      apply(patch, settings, keys);
      return resolveOffloadConfig({ env, settings, secrets: keys });
    },
  };
}
