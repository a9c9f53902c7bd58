// The one engine-side implementation of WorkbenchApi, used by Electron main and the browser harness alike, so the
// two shells cannot drift. Arguments arrive already validated (src/workbench/validate.ts) by the transport edge.
// This file is the API table; each concern lives in its own module: settings and their sources (settings.ts), the
// secret session and key binding (secret-session.ts), file grants (file-grants.ts), the mesh cache (mesh-cache.ts),
// the connection test (connection-test.ts) and the Gmsh path (gmsh-path.ts).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { platform } from 'node:os';
import type { DoctorReport, ExportOptions, PartPreview, WorkbenchApi, WorkbenchEvent } from '../contract/api';
import {
  isActive,
  UNIT_SCALE,
  type ExportFormat,
  type JobResult,
  type JobSpec,
  type LogLine,
  type UserGroup,
} from '../contract/job';
import { JobManager } from '../jobs/manager';
import { compareJobs } from '../jobs/compare';
import { offloadPath } from '../compute/offload-path';
import type { RemoteBackend } from '../compute/remote';
import type { JobStore } from '../jobs/store/store';
import { breakerState, resetBreaker } from '../compute/breaker';
import { doctorReport } from './doctor';
import { dataHome } from '../util/home';
import { previewPart } from '../preview/preview';
import { demoParts } from './demo-parts';
import { exportMesh } from '../export/export-mesh';
import { outputName } from '../jobs/pipeline/result-files';
import { catalogueListing } from '../strategy/catalogue';
import { partGroups, setPartGroups } from '../jobs/store/part-model';
import { groupNameProblem } from '../model/group-names';
import { sha256File } from '../util/hash';
import { connectionChecks } from './connection-test';
import { WorkbenchError } from './errors';
import { fileGrants } from './file-grants';
import { gmshPath } from './gmsh-path';
import { meshCache } from './mesh-cache';
import { secretSession, type SecretSession } from './secret-session';
import type { SecretsReader } from '../cloud/config';
import type { SecretStore } from './secrets';
import { settingsBook } from './settings';
import pkg from '../../package.json';

export interface WorkbenchServiceOptions {
  home?: string;
  /** The secret store, or how to open it in the data folder (the desktop keeps its file there). */
  secrets: SecretStore | ((home: string) => SecretStore);
  /** Native file dialog (Electron); absent in the harness, where files come through importFile. */
  pickFiles?: () => Promise<string[] | null>;
  /** Native dialog choosing the Gmsh executable (Electron); absent in the harness (CLI flag or environment). */
  pickGmsh?: () => Promise<string | null>;
  /**
   * A folder to export into: Electron's native dialog; in the harness the folder it was started with (--export-dir),
   * the one place a browser page may have files written outside the data folder.
   */
  pickFolder?: () => Promise<string | null>;
  /** Opens a folder in the system file manager (Electron's shell.showItemInFolder); absent in the harness. */
  showInFolder?: (path: string) => void;
  /** Offload path; defaults to the shells' shared one (src/compute/offload-path.ts). */
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

export function createWorkbenchService(opts: WorkbenchServiceOptions): WorkbenchService {
  const env = opts.env ?? process.env;
  const home = opts.home ?? dataHome(env);
  // The offload path reads keys through the secret session, which needs the store the manager opens: it is looked
  // up when a job asks, by then set.
  let session: SecretSession | null = null;
  const secrets: SecretsReader = { get: (n) => session?.get(n) ?? null };
  const remote = opts.remote === undefined ? (s: JobStore) => offloadPath(s, { env, secrets }) : opts.remote;
  const manager = new JobManager({
    home,
    remote,
    resourcesPath: opts.resourcesPath,
    locateGmsh: () => gmsh.locate(),
  });
  const store = manager.store;
  const gmsh = gmshPath({ settings: store, env, resourcesPath: opts.resourcesPath });
  session = secretSession(typeof opts.secrets === 'function' ? opts.secrets(home) : opts.secrets, opts.keyring, store);
  const settings = settingsBook({ settings: store, secrets: session, env, home, keyring: opts.keyring, gmsh });
  const files = fileGrants({ settings: store, home, isJobInput: (p) => store.hasInputPath(p) });
  const meshes = meshCache();

  const listeners = new Set<(events: WorkbenchEvent[]) => void>();
  const offManager = manager.onEvent((e) => {
    if (e.type === 'job') meshes.warm(e.job);
    for (const l of listeners) l([e]);
  });

  const requireJob = (id: string): JobResult => {
    const j = manager.get(id);
    if (!j) throw new WorkbenchError('not-found', `No job ${id} in ${store.path}.`);
    return j;
  };

  // Folders the user chose for exports in this session (pickFolder): the only places outside the job's folder an
  // export may be written.
  const grantedFolders = new Set<string>();

  return {
    manager,

    async appInfo() {
      return {
        version: pkg.version,
        platform: `${platform()}-${process.arch}`,
        dataDir: home,
        gmsh: await gmsh.info(),
      };
    },

    async doctor(): Promise<DoctorReport> {
      const r = await doctorReport(manager);
      return { ...r, breaker: breakerState(store) };
    },

    async pickFiles() {
      const picked = opts.pickFiles ? await opts.pickFiles() : null;
      return picked ? picked.map(files.grant) : null;
    },

    async pickGmsh() {
      const path = opts.pickGmsh ? await opts.pickGmsh() : null;
      if (path) await gmsh.choose(path);
      return settings.read();
    },

    async importFile(name: string, data: Uint8Array) {
      return files.importFile(name, data);
    },

    async recentFiles() {
      return files.recent();
    },

    async catalogue() {
      const g = await gmsh.info();
      const none = { openCascade: false, hxt: false, netgen: false, mmg: false };
      return { attempts: catalogueListing(g?.capabilities ?? none), capabilities: g?.capabilities ?? null };
    },

    async demoParts() {
      const demos = demoParts(opts.resourcesPath ?? (process as { resourcesPath?: string }).resourcesPath);
      for (const d of demos) files.grant(d.path);
      return demos;
    },

    async partGroups(path: string) {
      const sha256 = await sha256File(files.require(path));
      return { sha256, groups: partGroups(store, sha256) };
    },

    async savePartGroups(path: string, groups: UserGroup[]) {
      const sha256 = await sha256File(files.require(path));
      const seen = new Set<string>();
      for (const g of groups) {
        const problem = groupNameProblem(g.name);
        // (the engine's rule: plain names, none of the automatic groups' names)
        if (problem)
          throw new WorkbenchError('invalid-group', `Group "${g.name}": ${problem}.`, 'Choose another name.');
        if (seen.has(g.name)) throw new WorkbenchError('invalid-group', `Two groups are named "${g.name}".`);
        seen.add(g.name);
      }
      setPartGroups(store, sha256, groups);
      return { sha256, groups: partGroups(store, sha256) };
    },

    async pickFolder() {
      const picked = opts.pickFolder ? await opts.pickFolder() : null;
      if (picked) grantedFolders.add(resolve(picked));
      return picked;
    },

    async exportJob(id: string, formats: ExportFormat[], options: ExportOptions = {}) {
      const job = requireJob(id);
      if (job.status !== 'completed' || !job.mesh || !job.outDir)
        throw new WorkbenchError('no-mesh', `Job ${id} has no finished mesh to export.`);
      // Files are written only where the user chose (a folder from pickFolder) or into the job's own folder.
      const folder = options.folder ? resolve(options.folder) : job.outDir;
      if (options.folder && !grantedFolders.has(folder))
        throw new WorkbenchError(
          'not-picked',
          `${folder}: MeshBench writes exports only into the job's folder or a folder you chose.`,
          'Choose the folder with "Choose folder…".',
        );
      const from = job.units ?? job.settings.units ?? 'mm';
      // Each file carries its own error, if any (src/export/export-mesh.ts); the job and its mesh are unchanged.
      const ex = exportMesh(
        job.mesh.path,
        formats,
        folder,
        outputName(job.input.path),
        new Map((job.groups ?? []).map((g) => [g.name, g.label])),
        { groups: options.groups, scale: UNIT_SCALE[options.units ?? from] / UNIT_SCALE[from] },
      );
      const kept = (job.exports ?? []).filter((e) => !formats.includes(e.format));
      // The job's groups are the mesh's; an export of the named ones only does not change them.
      store.updateJob(id, {
        exports: [...kept, ...ex.exports],
        ...(ex.groups && options.groups !== 'named' ? { groups: ex.groups } : {}),
      });
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
      meshes.drop(id);
      return manager.delete(id);
    },

    async preview(path: string): Promise<PartPreview> {
      const p = await previewPart(files.require(path), { gmshPath: gmsh.locate().path });
      files.remember(p.path);
      return p;
    },

    async submitJob(spec: Omit<JobSpec, 'outDir'>) {
      // Only a file the user picked; the output folder is the data folder's jobs/<id>/, never the page's choice.
      const inputPath = files.require(spec.inputPath);
      const id = manager.submit({ inputPath, settings: spec.settings, backend: spec.backend });
      files.remember(inputPath);
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
      return meshes.of(requireJob(id));
    },

    async jobMeshSkin(id: string) {
      // The same analysis as jobMesh (one read, shared); only the reply is small, so it crosses the wire at once.
      const m = await meshes.of(requireJob(id));
      return {
        jobId: m.jobId,
        nodes: m.nodes,
        skin: m.skin,
        skinTet: m.skinTet,
        skinFaces: m.skinFaces,
        failedSurfaces: m.failedSurfaces,
      };
    },

    async compare(a: string, b: string) {
      return compareJobs(requireJob(a), requireJob(b));
    },

    async getSettings() {
      return settings.read();
    },

    async saveSettings(patch) {
      return settings.save(patch);
    },

    async testConnection(patch) {
      return connectionChecks(await gmsh.info(), patch ? settings.offloadAsIf(patch) : settings.offload());
    },

    async breaker() {
      return breakerState(store);
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
}
