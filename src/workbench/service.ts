// The one engine-side implementation of WorkbenchApi, used by Electron main and the browser harness alike, so the
// two shells cannot drift. Arguments arrive already validated (src/workbench/validate.ts) by the transport edge.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { platform } from 'node:os';
import type {
  BreakerState,
  Comparison,
  DoctorReport,
  GmshInfo,
  MeshPayload,
  PartPreview,
  Settings,
  SettingSource,
  SettingsPatch,
  WorkbenchApi,
  WorkbenchEvent,
} from '../contract/api';
import {
  DEFAULT_SETTINGS,
  isActive,
  type ExportFormat,
  type JobResult,
  type JobSpec,
  type LogLine,
  type MeshSettings,
  type UserGroup,
} from '../contract/job';
import { validateJobSpec } from '../jobs/spec/schema';
import { JobManager } from '../jobs/manager';
import { compareJobs } from '../jobs/compare';
import { analyzeMesh } from '../mesh/analyze';
import { defaultRemote } from '../compute/remote-default';
import type { RemoteBackend } from '../compute/remote';
import type { JobStore } from '../jobs/store/store';
import { resolveOffloadConfig, SETTING } from '../cloud/config';
import { breakerState as readBreaker, resetBreaker } from '../compute/breaker';
import { findGmsh } from '../gmsh/locate';
import { gmshInfo } from '../gmsh/info';
import { doctorReport } from './doctor';
import { dataHome } from '../util/home';
import { errorMessage } from '../util/errors';
import { previewPart } from '../preview/preview';
import { exportMesh } from '../export/export-mesh';
import { outputName } from '../jobs/pipeline/result-files';
import { partGroups, setPartGroups } from '../jobs/store/part-model';
import { groupNameProblem } from '../model/group-names';
import { sha256File } from '../util/hash';
import { WorkbenchError } from './errors';
import { MemorySecretStore, type SecretName, type SecretStore } from './secrets';
import pkg from '../../package.json';

export interface WorkbenchServiceOptions {
  home?: string;
  /** The secret store, or how to open it in the data folder (the desktop keeps its file there). */
  secrets: SecretStore | ((home: string) => SecretStore);
  /** Native file dialog (Electron); absent in the harness, where files come through importFile. */
  pickFiles?: () => Promise<string[] | null>;
  /** Native dialog choosing the Gmsh executable (Electron); absent in the harness (CLI flag or environment). */
  pickGmsh?: () => Promise<string | null>;
  /** Opens a folder in the system file manager (Electron's shell.showItemInFolder); absent in the harness. */
  showInFolder?: (path: string) => void;
  /** Offload path; defaults to the shells' shared default (src/compute/remote-default.ts). */
  remote?: RemoteBackend | null | ((store: JobStore) => RemoteBackend | null);
  /** Electron safeStorage's backend (`gnome_libsecret`, `kwallet`, `basic_text`, ...); absent: not Electron. */
  keyring?: string | null;
  resourcesPath?: string;
  env?: NodeJS.ProcessEnv;
}

export interface WorkbenchService extends WorkbenchApi {
  readonly manager: JobManager;
  close(): Promise<void>;
}

const KEY_RECENT = 'desktop.recentFiles';
const KEY_DEFAULTS = 'desktop.defaults';
const KEY_GMSH = 'desktop.gmshPath';
const KEY_PERSIST_KEYS = 'desktop.persistKeysWithoutKeyring';
const SECRET_NAMES: SecretName[] = ['s3.accessKeyId', 's3.secretAccessKey', 'modal.key', 'modal.secret'];
const MESH_CACHE = 3;

export function createWorkbenchService(opts: WorkbenchServiceOptions): WorkbenchService {
  const env = opts.env ?? process.env;
  const home = opts.home ?? dataHome(env);
  const stored = typeof opts.secrets === 'function' ? opts.secrets(home) : opts.secrets;
  // Without a keyring (Electron's safeStorage backend `basic_text` on Linux) keys on disk are only obfuscated: keep
  // them in memory for this session unless the user chooses to store them anyway.
  const noKeyring = opts.keyring === 'basic_text';
  const session = new MemorySecretStore();
  let settingsStore: JobStore | null = null; // the job store, once the manager has opened it
  const persist = () => !noKeyring || settingsStore?.getSetting<boolean>(KEY_PERSIST_KEYS) === true;
  const secrets: SecretStore = {
    get: (n) => (persist() ? stored.get(n) : session.get(n)),
    set: (n, v) => (persist() ? stored.set(n, v) : session.set(n, v)),
    has: (n) => (persist() ? stored.has(n) : session.has(n)),
  };
  const setPersist = (on: boolean) => {
    if (!noKeyring || on === persist()) return;
    const [from, to] = on ? [session, stored] : [stored, session];
    for (const n of SECRET_NAMES) {
      to.set(n, from.get(n));
      from.set(n, null);
    }
    settingsStore?.setSetting(KEY_PERSIST_KEYS, on);
  };
  // Stored Modal/S3 keys reach the offload path through the secret store, never through settings or the renderer.
  const remote = opts.remote === undefined ? (s: JobStore) => defaultRemote(s, secrets) : opts.remote;
  const manager = new JobManager({ home, remote, resourcesPath: opts.resourcesPath, validate: validateJobSpec });
  const store = manager.store;
  settingsStore = store;
  // The user's own MESHBENCH_GMSH wins; a Gmsh path saved in the settings is applied the same way.
  const envGmsh = env.MESHBENCH_GMSH;
  const applyGmshPath = () => {
    const saved = store.getSetting<string>(KEY_GMSH);
    if (!envGmsh) {
      if (saved) process.env.MESHBENCH_GMSH = saved;
      else delete process.env.MESHBENCH_GMSH;
    }
  };
  applyGmshPath();

  // Meshes of finished jobs, analysed once (off-thread) and kept for a few views; a job that just completed is
  // analysed at once, so the viewer's request finds the work already under way.
  const meshes = new Map<string, Promise<MeshPayload>>();
  const meshOf = (job: JobResult): Promise<MeshPayload> => {
    let p = meshes.get(job.id);
    if (!p) {
      if (!job.mesh)
        throw new WorkbenchError(
          'no-mesh',
          `Job ${job.id} has no mesh (${job.status}).`,
          job.status === 'failed' ? 'See its attempts for the reasons.' : undefined,
        );
      const failedSurfaces = [...new Set(job.attempts.flatMap((a) => a.failedSurfaces ?? []))];
      const path = job.mesh.path;
      p = analyzeMesh(path, { payload: true }).then((r) => {
        if (!r.payload) throw new WorkbenchError('no-mesh', `${path} has no tetrahedra to show.`);
        return { jobId: job.id, ...r.payload, failedSurfaces };
      });
      p.catch(() => meshes.delete(job.id));
      meshes.set(job.id, p);
      while (meshes.size > MESH_CACHE) meshes.delete(meshes.keys().next().value!);
    }
    return p;
  };

  const listeners = new Set<(events: WorkbenchEvent[]) => void>();
  const offManager = manager.onEvent((e) => {
    if (e.type === 'job' && e.job.status === 'completed' && e.job.mesh && !meshes.has(e.job.id)) {
      meshOf(e.job).catch(() => undefined);
    }
    for (const l of listeners) l([e]);
  });

  const requireJob = (id: string): JobResult => {
    const j = manager.get(id);
    if (!j) throw new WorkbenchError('not-found', `No job ${id} in ${store.path}.`);
    return j;
  };

  // Files the page may name: those the user picked in the native dialog or dropped/uploaded (importFile) in this
  // session, plus the recent files and job inputs already in the store (picked before). Anything else is refused,
  // so a compromised page cannot make the engine read an arbitrary file.
  const granted = new Set<string>();
  const grant = (p: string) => {
    granted.add(resolve(p));
    return p;
  };
  const requirePicked = (p: string): string => {
    const r = resolve(p);
    if (granted.has(r) || (store.getSetting<string[]>(KEY_RECENT) ?? []).includes(r) || store.hasInputPath(r)) return r;
    throw new WorkbenchError(
      'not-picked',
      `${r}: MeshBench reads only files you pick or drop, and this one was not.`,
      'Open the part with Open… or drop it on the window.',
    );
  };

  const rememberRecent = (path: string) => {
    const cur = store.getSetting<string[]>(KEY_RECENT) ?? [];
    store.setSetting(KEY_RECENT, [path, ...cur.filter((p) => p !== path)].slice(0, 20));
  };

  const gmsh = async (): Promise<GmshInfo | null> => {
    try {
      return await gmshInfo(findGmsh({ resourcesPath: opts.resourcesPath }).path);
    } catch {
      return null;
    }
  };

  const offload = () => resolveOffloadConfig({ env, settings: store, secrets });
  const sameText = (a: unknown, b: unknown) =>
    ((a as string | null | undefined) || null) === ((b as string | null | undefined) || null);
  /**
   * The offload settings as they would be after saving `patch`, without saving it. Stored keys are dropped for an
   * S3 endpoint or Modal URL other than the saved one, as saving would drop them.
   */
  const offloadAsIf = (patch: SettingsPatch) => {
    const cur = {
      s3: store.getSetting<Record<string, unknown>>(SETTING.s3) ?? {},
      modal: store.getSetting<Record<string, unknown>>(SETTING.modal) ?? {},
    };
    const { accessKeyId, secretAccessKey, hasKeys: _s, ...s3 } = patch.s3 ?? {};
    const { key, secret, hasKey: _m, ...modal } = patch.modal ?? {};
    const next: Record<string, unknown> = {
      [SETTING.s3]: { ...cur.s3, ...s3 },
      [SETTING.modal]: { ...cur.modal, ...modal },
      ...(patch.compute ? { [SETTING.compute]: patch.compute } : {}),
      ...(patch.ec2BaselineUsdPerHour !== undefined ? { [SETTING.ec2]: patch.ec2BaselineUsdPerHour } : {}),
    };
    const s3Moved = s3.endpoint !== undefined && !sameText(s3.endpoint, cur.s3.endpoint);
    const modalMoved = modal.url !== undefined && !sameText(modal.url, cur.modal.url);
    const given: Partial<Record<SecretName, string | undefined>> = {
      's3.accessKeyId': accessKeyId,
      's3.secretAccessKey': secretAccessKey,
      'modal.key': key,
      'modal.secret': secret,
    };
    return resolveOffloadConfig({
      env,
      settings: { getSetting: <T>(k: string) => (k in next ? (next[k] as T) : store.getSetting<T>(k)) },
      secrets: {
        get: (n: SecretName) => {
          if (given[n] !== undefined) return given[n] || null;
          if ((n.startsWith('s3.') && s3Moved) || (n.startsWith('modal.') && modalMoved)) return null;
          return secrets.get(n);
        },
      },
    });
  };

  // Where each value in force comes from: a variable in the environment wins over a saved value, which wins over
  // the default.
  const sources = (): Settings['sources'] => {
    const s3 = store.getSetting<Record<string, unknown>>(SETTING.s3) ?? {};
    const modal = store.getSetting<Record<string, unknown>>(SETTING.modal) ?? {};
    const pick = (vars: string[], saved: unknown): SettingSource => {
      const v = vars.find((x) => env[x]);
      return v
        ? { from: 'environment', variable: v }
        : saved !== undefined && saved !== null && saved !== ''
          ? { from: 'saved' }
          : { from: 'default' };
    };
    const keys = (a: string, b: string, saved: boolean): SettingSource =>
      env[a] && env[b]
        ? { from: 'environment', variable: `${a} and ${b}` }
        : saved
          ? { from: 'saved' }
          : { from: 'default' };
    return {
      compute: pick(['MESHBENCH_COMPUTE', 'USE_MODAL_COMPUTE'], store.getSetting(SETTING.compute)),
      // The user's own MESHBENCH_GMSH, not the one applyGmshPath sets from the saved path.
      gmsh: envGmsh ? { from: 'environment', variable: 'MESHBENCH_GMSH' } : pick([], store.getSetting(KEY_GMSH)),
      's3.bucket': pick(['MESHBENCH_S3_BUCKET'], s3.bucket),
      's3.region': pick(['AWS_REGION', 'AWS_DEFAULT_REGION'], s3.region),
      's3.endpoint': pick(['MESHBENCH_S3_ENDPOINT'], s3.endpoint),
      's3.profile': pick(['AWS_PROFILE'], s3.profile),
      's3.keys': keys(
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        secrets.has('s3.accessKeyId') && secrets.has('s3.secretAccessKey'),
      ),
      'modal.url': pick(['MESHBENCH_MODAL_URL'], modal.url),
      'modal.keys': keys('MODAL_KEY', 'MODAL_SECRET', secrets.has('modal.key') && secrets.has('modal.secret')),
      ec2: pick(['MESHBENCH_EC2_USD_PER_HOUR'], store.getSetting(SETTING.ec2)),
    };
  };

  const breakerState = (): BreakerState => readBreaker(store);

  const settings = (): Settings => {
    const c = offload();
    const s3 =
      store.getSetting<{ bucket?: string; region?: string; endpoint?: string | null; profile?: string | null }>(
        SETTING.s3,
      ) ?? {};
    const modal = store.getSetting<{ url?: string | null }>(SETTING.modal) ?? {};
    return {
      compute: c.compute,
      gmshPath: store.getSetting<string>(KEY_GMSH),
      dataDir: home,
      defaults: { ...DEFAULT_SETTINGS, ...(store.getSetting<MeshSettings>(KEY_DEFAULTS) ?? {}) },
      s3: {
        bucket: s3.bucket ?? c.s3?.bucket ?? '',
        region: s3.region ?? c.s3?.region ?? 'us-east-1',
        endpoint: s3.endpoint ?? c.s3?.endpoint ?? null,
        profile: s3.profile ?? null,
        hasKeys: secrets.has('s3.accessKeyId') && secrets.has('s3.secretAccessKey'),
      },
      modal: {
        url: modal.url ?? c.modal?.url ?? null,
        hasKey: secrets.has('modal.key') && secrets.has('modal.secret'),
      },
      ec2BaselineUsdPerHour: c.ec2BaselineUsdPerHour,
      keys: {
        backend: opts.keyring ?? null,
        encrypted: opts.keyring ? !noKeyring : false,
        persist: persist(),
        notice: (stored as { notice?: string | null }).notice ?? null,
      },
      sources: sources(),
    };
  };

  const service: WorkbenchService = {
    manager,

    async appInfo() {
      return { version: pkg.version, platform: `${platform()}-${process.arch}`, dataDir: home, gmsh: await gmsh() };
    },

    async doctor(): Promise<DoctorReport> {
      const r = await doctorReport(manager);
      return { ...r, breaker: breakerState() };
    },

    async pickFiles() {
      const picked = opts.pickFiles ? await opts.pickFiles() : null;
      return picked ? picked.map(grant) : null;
    },

    async pickGmsh() {
      const path = opts.pickGmsh ? await opts.pickGmsh() : null;
      if (path) {
        try {
          await gmshInfo(path); // runs `gmsh -info`: refuse a file that is not a working Gmsh before saving it
        } catch (e) {
          throw new WorkbenchError(
            'gmsh-unusable',
            `${path} is not a working Gmsh: ${errorMessage(e)}`,
            'Choose the gmsh executable itself.',
          );
        }
        store.setSetting(KEY_GMSH, path);
        applyGmshPath();
      }
      return settings();
    },

    async importFile(name: string, data: Uint8Array) {
      if (data.byteLength === 0)
        throw new WorkbenchError(
          'input-empty',
          `${name} is empty (0 bytes).`,
          'Export the part again from your CAD tool.',
        );
      // Content-addressed inbox folder, original file name kept so jobs and the log still say what the part is.
      const digest = createHash('sha256').update(data).digest('hex').slice(0, 16);
      const dir = join(home, 'inbox', digest);
      const path = join(dir, name);
      if (!existsSync(path)) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(path, data);
      }
      return grant(path);
    },

    async recentFiles() {
      return (store.getSetting<string[]>(KEY_RECENT) ?? []).filter((p) => existsSync(p));
    },

    async partGroups(path: string) {
      const sha256 = await sha256File(requirePicked(path));
      return { sha256, groups: partGroups(store, sha256) };
    },

    async savePartGroups(path: string, groups: UserGroup[]) {
      const sha256 = await sha256File(requirePicked(path));
      const seen = new Set<string>();
      for (const g of groups) {
        const problem = groupNameProblem(g.name);
        if (problem) throw new WorkbenchError('invalid-group', `Group "${g.name}": ${problem}.`);
        if (/^(Body|Face|Interface)_\d/.test(g.name))
          throw new WorkbenchError(
            'invalid-group',
            `Group "${g.name}": Body_, Face_ and Interface_ names belong to the automatic groups.`,
            'Choose another name.',
          );
        if (seen.has(g.name)) throw new WorkbenchError('invalid-group', `Two groups are named "${g.name}".`);
        seen.add(g.name);
      }
      setPartGroups(store, sha256, groups);
      return { sha256, groups: partGroups(store, sha256) };
    },

    async exportJob(id: string, formats: ExportFormat[]) {
      const job = requireJob(id);
      if (job.status !== 'completed' || !job.mesh || !job.outDir)
        throw new WorkbenchError('no-mesh', `Job ${id} has no finished mesh to export.`);
      let ex;
      try {
        ex = exportMesh(
          job.mesh.path,
          formats,
          job.outDir,
          outputName(job.input.path),
          new Map((job.groups ?? []).map((g) => [g.name, g.label])),
        );
      } catch (e) {
        throw new WorkbenchError(
          'export-failed',
          `The mesh ${job.mesh.path} could not be exported: ${errorMessage(e)}`,
        );
      }
      const kept = (job.exports ?? []).filter((e) => !formats.includes(e.format));
      store.updateJob(id, { exports: [...kept, ...ex.exports], groups: ex.groups });
      return requireJob(id);
    },

    async showJobFolder(id: string) {
      const job = requireJob(id);
      if (!job.outDir || !existsSync(job.outDir))
        throw new WorkbenchError(
          'no-folder',
          `Job ${id} has no output folder${job.outDir ? ` (${job.outDir} is gone)` : ''}.`,
        );
      if (opts.showInFolder) opts.showInFolder(job.outDir);
      return { path: job.outDir, opened: !!opts.showInFolder };
    },

    async deleteJob(id: string) {
      const job = requireJob(id);
      if (isActive(job.status))
        throw new WorkbenchError(
          'job-active',
          `Job ${id} is ${job.status} and cannot be deleted.`,
          'Cancel or stop it first, then delete it.',
        );
      meshes.delete(id);
      return manager.delete(id);
    },

    async preview(path: string): Promise<PartPreview> {
      const p = await previewPart(requirePicked(path));
      rememberRecent(p.path);
      return p;
    },

    async submitJob(spec: Omit<JobSpec, 'outDir'>) {
      // Only a file the user picked; the output folder is the data folder's jobs/<id>/, never the page's choice.
      const inputPath = requirePicked(spec.inputPath);
      const id = manager.submit({ inputPath, settings: spec.settings, backend: spec.backend });
      rememberRecent(inputPath);
      return { id };
    },

    async cancelJob(id: string) {
      requireJob(id);
      manager.cancel(id);
    },

    async stopJob(id: string) {
      requireJob(id);
      manager.stop(id);
    },

    async rerunJob(id: string) {
      requireJob(id);
      return { id: manager.rerun(id) };
    },

    async listJobs() {
      return manager.list();
    },

    async getJob(id: string) {
      return requireJob(id);
    },

    async jobLog(id: string, afterSeq: number, limit: number): Promise<LogLine[]> {
      requireJob(id);
      return manager.log(id, afterSeq, limit);
    },

    async jobMesh(id: string) {
      return meshOf(requireJob(id));
    },

    async jobMeshSkin(id: string) {
      // The same analysis as jobMesh (one read, shared); only the reply is small, so it crosses the wire at once.
      const m = await meshOf(requireJob(id));
      return {
        jobId: m.jobId,
        nodes: m.nodes,
        skin: m.skin,
        skinTet: m.skinTet,
        skinFaces: m.skinFaces,
        failedSurfaces: m.failedSurfaces,
      };
    },

    async compare(a: string, b: string): Promise<Comparison> {
      return compareJobs(requireJob(a), requireJob(b));
    },

    async getSettings() {
      return settings();
    },

    async saveSettings(patch: SettingsPatch) {
      if (patch.compute) store.setSetting(SETTING.compute, patch.compute);
      if (patch.gmshPath === null) {
        store.setSetting(KEY_GMSH, null); // back to auto: environment, bundled, PATH
        applyGmshPath();
      }
      if (patch.defaults) store.setSetting(KEY_DEFAULTS, patch.defaults);
      if (patch.ec2BaselineUsdPerHour !== undefined) store.setSetting(SETTING.ec2, patch.ec2BaselineUsdPerHour);
      if (patch.persistKeys !== undefined) setPersist(patch.persistKeys);
      // Keys belong to the place they were given for: a new S3 endpoint or Modal URL forgets them (unless new keys
      // come in the same save), so they are never sent somewhere the user did not give them for.
      const changed = (a: unknown, b: unknown) =>
        ((a as string | null | undefined) || null) !== ((b as string | null | undefined) || null);
      if (patch.s3) {
        const { accessKeyId, secretAccessKey, hasKeys: _h, ...plain } = patch.s3;
        const cur = store.getSetting<Record<string, unknown>>(SETTING.s3) ?? {};
        if (plain.endpoint !== undefined && changed(plain.endpoint, cur.endpoint)) {
          secrets.set('s3.accessKeyId', null);
          secrets.set('s3.secretAccessKey', null);
        }
        store.setSetting(SETTING.s3, { ...cur, ...plain });
        // Secrets go to the secret store only; an empty string clears them.
        if (accessKeyId !== undefined) secrets.set('s3.accessKeyId', accessKeyId || null);
        if (secretAccessKey !== undefined) secrets.set('s3.secretAccessKey', secretAccessKey || null);
      }
      if (patch.modal) {
        const { key, secret, hasKey: _h, ...plain } = patch.modal;
        const cur = store.getSetting<Record<string, unknown>>(SETTING.modal) ?? {};
        if (plain.url !== undefined && changed(plain.url, cur.url)) {
          secrets.set('modal.key', null);
          secrets.set('modal.secret', null);
        }
        store.setSetting(SETTING.modal, { ...cur, ...plain });
        if (key !== undefined) secrets.set('modal.key', key || null);
        if (secret !== undefined) secrets.set('modal.secret', secret || null);
      }
      return settings();
    },

    async testConnection(patch?: SettingsPatch) {
      const checks: { name: string; ok: boolean; detail: string }[] = [];
      const g = await gmsh();
      checks.push(
        g
          ? { name: 'gmsh', ok: true, detail: `Gmsh ${g.version} at ${g.path}` }
          : { name: 'gmsh', ok: false, detail: 'Gmsh not found (set its path, or MESHBENCH_GMSH).' },
      );
      const c = patch ? offloadAsIf(patch) : offload();
      // The AWS SDK and the Modal client load only when a connection is actually tested (startup stays quick).
      const [{ S3Store }, { ModalClient }] = await Promise.all([
        import('../cloud/s3'),
        import('../cloud/modal-client'),
      ]);
      if (c.s3) {
        try {
          await new S3Store({ ...c.s3, tries: 1 }).checkBucket();
          checks.push({
            name: 's3',
            ok: true,
            detail: `bucket "${c.s3.bucket}" reachable at ${c.s3.endpoint ?? `AWS (${c.s3.region})`}`,
          });
        } catch (e) {
          checks.push({ name: 's3', ok: false, detail: errorMessage(e) });
        }
      } else
        checks.push({ name: 's3', ok: false, detail: 'No bucket configured (S3 bucket, or MESHBENCH_S3_BUCKET).' });
      if (c.modal) {
        try {
          const h = await new ModalClient({
            url: c.modal.url,
            key: c.modal.key,
            secret: c.modal.secret,
            requestTimeoutMs: 10_000,
          }).health();
          checks.push({
            name: 'modal',
            ok: true,
            detail: `${c.modal.url} answers: ${h.service ?? 'a worker'} ${h.version ?? ''} (${h.backend ?? 'unknown backend'}), Gmsh ${h.gmsh?.version ?? 'unknown'}${h.gpu ? `, GPU ${h.gpu}` : ''}`,
          });
        } catch (e) {
          checks.push({ name: 'modal', ok: false, detail: errorMessage(e) });
        }
      } else
        checks.push({
          name: 'modal',
          ok: false,
          detail: 'No Modal endpoint configured (Modal URL, or MESHBENCH_MODAL_URL).',
        });
      return { ok: checks.every((x) => x.ok), checks };
    },

    async breaker() {
      return breakerState();
    },

    async resetBreaker() {
      return resetBreaker(store);
    },

    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async close() {
      offManager();
      listeners.clear();
      await manager.close();
    },
  };
  return service;
}
