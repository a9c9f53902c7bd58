// What the UI does with the engine: open, preview, run, cancel, re-run, batch, logs, meshes, settings.
import { errorText, getApi } from './api';
import { groupsOf } from './groups';
import { useStore } from './store';
import { isActive, type Backend } from '../../src/contract/job';
import { MAX_IMPORT_BYTES, type MeshPayload, type PartPreview } from '../../src/contract/api';
import { markOnce } from './timing';
import { shellLine } from './shell-line';

const api = () => getApi();
const st = () => useStore.getState();

export function toast(kind: 'error' | 'info', text: string) {
  st().showMessage(kind, text);
}

export async function init() {
  const a = api();
  a.onEvent((events) => {
    st().applyEvents(events);
    // A job that just completed: fetch its mesh now if it is on screen, so the first frame comes as soon as possible.
    for (const e of events) {
      const id = e.type === 'job' ? e.job.id : e.type === 'status' ? e.jobId : null;
      const status = e.type === 'job' ? e.job.status : e.type === 'status' ? e.status : null;
      if (id && status === 'completed') markOnce('completed', id);
      if (id && status === 'completed' && st().selectedJob === id) void loadMesh(id);
      if (id && status && !isActive(status)) void refreshJob(id);
    }
  });
  try {
    const [jobs, settings, breaker, catalogue] = await Promise.all([
      a.listJobs(),
      a.getSettings(),
      a.breaker().catch(() => null),
      a.catalogue().catch(() => null),
    ]);
    st().loadJobs(jobs);
    st().setAppSettings(settings, true);
    st().setBreaker(breaker);
    st().setCatalogue(catalogue);
  } catch (e) {
    toast('error', `Could not load jobs and settings: ${errorText(e)}`);
  }
}

async function refreshJob(id: string) {
  try {
    const j = await api().getJob(id);
    st().putJob(j);
  } catch {
    /* the event already carried the status */
  }
}

export async function openFiles(files: File[]) {
  for (const f of files) {
    let path: string;
    if (f.size > MAX_IMPORT_BYTES) {
      // Never read into the page nor sent: the engine would refuse it anyway.
      rejectInput(
        f.name,
        `${f.name} is larger than ${MAX_IMPORT_BYTES / 2 ** 20} MiB, the most a dropped file may be.`,
      );
      continue;
    }
    try {
      path = await api().importFile(f.name, new Uint8Array(await f.arrayBuffer()));
    } catch (e) {
      rejectInput(f.name, errorText(e));
      continue;
    }
    await openPath(path, f.name);
  }
}

export async function openDialog(fallback: () => void) {
  const paths = await api()
    .pickFiles()
    .catch(() => null);
  if (!paths) return fallback();
  for (const p of paths) await openPath(p);
}

export const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/**
 * The one path for a file that cannot be opened: a dismissable message naming the file and the reason. It never
 * becomes the current part and never turns into a job. Engine messages name the stored copy (the data folder's
 * inbox); the engineer knows the file by its own name.
 */
function rejectInput(name: string, why: string, storedPath?: string) {
  let text = why;
  if (storedPath) text = text.split(storedPath).join(name);
  text = text.replace(/\S*[\\/]inbox[\\/][0-9a-f]+[\\/]/g, '');
  toast('error', text.includes(name) ? `Not opened: ${text}` : `Not opened: ${name}: ${text}`);
}

/** Opens a part and makes it current; a part that cannot be read is rejected and the previous one stays. */
export async function openPath(path: string, name = baseName(path)) {
  const before = { part: st().currentPart, job: st().selectedJob };
  st().partOpening(path, true);
  try {
    const preview = await api().preview(path);
    st().partPreviewed(path, preview);
  } catch (e) {
    st().partRejected(path, before.part, before.job);
    rejectInput(name, errorText(e), path);
  }
}

/** A selected job's part, opened in the background (the panel and Run follow the job); its job stays selected. */
async function ensurePart(path: string) {
  if (st().parts.some((p) => p.path === path)) return;
  st().partOpening(path, false);
  try {
    st().partPreviewed(path, await api().preview(path));
  } catch (e) {
    st().partFailed(path, errorText(e));
  }
}

/** Whether a part can be meshed, and if not why, in the engineer's words. */
export function meshable(
  p: { preview: PartPreview | null; error: string | null; loading: boolean } | null | undefined,
): { ok: boolean; why: string } {
  if (!p) return { ok: false, why: 'Open a part first.' };
  if (p.loading) return { ok: false, why: 'The part is still being read.' };
  if (p.error || !p.preview) return { ok: false, why: p.error ?? 'The part could not be read.' };
  if (isOpenShell(p.preview))
    return {
      ok: false,
      why: 'The part has surfaces but no closed solid, so there is no volume to fill with tetrahedra.',
    };
  return { ok: true, why: '' };
}

/** A CAD part (not STL, which is always surfaces) with no volume: an open shell or loose faces. */
export const isOpenShell = (pv: PartPreview) => pv.volumes === 0 && !pv.format.startsWith('stl');

export async function run(path = st().currentPart, backend: Backend = st().compute): Promise<string | null> {
  const can = meshable(st().parts.find((p) => p.path === path));
  if (!path || !can.ok) {
    toast('info', path ? `${baseName(path)} is not meshed: ${can.why}` : can.why);
    return null;
  }
  try {
    // The part's own groups (a batch runs several parts; the settings hold the current part's).
    const mine = groupsOf(path);
    const settings = { ...st().settings, groups: mine.length ? mine : undefined };
    if (!settings.groups) delete settings.groups;
    const { id } = await api().submitJob({ inputPath: path, settings, backend });
    await refreshJob(id);
    st().selectJob(id);
    void loadLog(id);
    return id;
  } catch (e) {
    toast('error', `Could not start the job: ${errorText(e)}`);
    return null;
  }
}

export async function runBatch() {
  const all = st().parts;
  const parts = all.filter((p) => meshable(p).ok);
  if (!parts.length)
    return toast('info', 'Open one or more parts that can be meshed first (the file dialog accepts several).');
  const left = all.filter((p) => !meshable(p).ok);
  for (const p of parts) await run(p.path);
  if (left.length)
    toast(
      'info',
      `Batch: ${parts.length} part${parts.length > 1 ? 's' : ''} queued; not meshed: ${left.map((p) => `${baseName(p.path)} (${meshable(p).why})`).join('; ')}`,
    );
}

export async function runOnBoth() {
  const path = st().currentPart;
  const a = await run(path, 'local');
  const b = await run(path, 'modal');
  if (a && b) st().compareBoth(a, b);
}

export async function cancel(id = st().selectedJob) {
  if (!id) return;
  try {
    await api().cancelJob(id);
  } catch (e) {
    toast('error', `Cancel failed: ${errorText(e)}`);
  }
}

/** Stops the attempts and keeps the best valid mesh so far (the job completes, below target if it must). */
export async function stop(id = st().selectedJob) {
  if (!id) return;
  try {
    await api().stopJob(id);
  } catch (e) {
    toast('error', `Stop failed: ${errorText(e)}`);
  }
}

export async function rerun(id = st().selectedJob) {
  if (!id) return;
  try {
    const r = await api().rerunJob(id);
    await refreshJob(r.id);
    st().selectJob(r.id);
    void loadLog(r.id);
  } catch (e) {
    toast('error', `Re-run failed: ${errorText(e)}`);
  }
}

/** Desktop: the file manager opens on the job's folder; harness: the path comes back to be shown in words. */
export async function showJobFolder(id: string): Promise<{ path: string; opened: boolean } | null> {
  try {
    return await api().showJobFolder(id);
  } catch (e) {
    toast('error', `Show in folder failed: ${errorText(e)}`);
    return null;
  }
}

/** Deletes a finished job (the caller has asked the user to confirm). */
export async function deleteJob(id: string) {
  try {
    await api().deleteJob(id);
    st().removeJob(id);
    toast('info', `Job ${id} deleted, with its attempts, log and output folder.`);
  } catch (e) {
    toast('error', `Delete failed: ${errorText(e)}`);
  }
}

export async function copyCommandLine(argv: string[]) {
  try {
    await navigator.clipboard.writeText(shellLine(argv));
    toast('info', 'Command line copied.');
  } catch (e) {
    toast('error', `Copy failed: ${errorText(e)}`);
  }
}

export async function selectJob(id: string) {
  st().selectJob(id);
  void loadLog(id);
  const j = st().jobs[id];
  if (j) void ensurePart(j.input.path);
  if (j?.status === 'completed') void loadMesh(id);
}

/** Replays the stored log (finished or remote jobs), in pages; live lines merge in by seq. */
async function loadLog(id: string) {
  const cur = st().logs[id];
  if (cur?.replayed) return;
  let after = 0;
  const PAGE = 20000;
  try {
    for (;;) {
      const lines = await api().jobLog(id, after, PAGE);
      st().mergeLog(id, lines, lines.length < PAGE);
      if (lines.length < PAGE) break;
      after = lines[lines.length - 1].seq;
    }
  } catch (e) {
    toast('error', `Could not read the log: ${errorText(e)}`);
  }
}

const inflight = new Set<string>();
/**
 * Brings a finished job's mesh to the viewer in two steps: the skin first (a few MB, the first frame), then the full
 * payload (tets and per-tet metrics) for colouring, thresholds and cuts. The second request goes out only once the
 * first has arrived, so the big transfer never delays the first frame on the shared socket.
 */
export async function loadMesh(id: string) {
  const m = st().meshes[id];
  if (m) st().setMesh(id, m); // most recently used now
  if ((m && m !== 'loading' && !isPartialMesh(m)) || inflight.has(id)) return;
  inflight.add(id);
  if (!m) st().setMesh(id, 'loading');
  try {
    if (!m) {
      markOnce('mesh-request', id);
      const skin = await api().jobMeshSkin(id);
      markOnce('mesh-skin', id);
      const empty = new Float32Array(0);
      const partial: MeshPayload = {
        ...skin,
        tets: new Uint32Array(0),
        quality: { sicn: empty, gamma: empty, aspectRatio: empty, skewness: empty, minDihedralDeg: empty },
      };
      partialMeshes.add(partial);
      st().setMesh(id, partial);
    }
    const mesh = await api().jobMesh(id);
    markOnce('mesh-full', id);
    st().setMesh(id, mesh);
  } catch (e) {
    const cur = st().meshes[id];
    // A skin already on screen stays; only say what is missing.
    if (cur && cur !== 'loading' && isPartialMesh(cur))
      toast('error', `Mesh details (tets, quality) could not be loaded: ${errorText(e)}`);
    else st().setMesh(id, { error: errorText(e) });
  } finally {
    inflight.delete(id);
  }
}

const partialMeshes = new WeakSet<object>();
/** A skin-only payload still waiting for its tets and metrics. */
const isPartialMesh = (m: unknown): boolean => typeof m === 'object' && m !== null && partialMeshes.has(m);

export async function refreshBreaker() {
  try {
    st().setBreaker(await api().breaker());
  } catch {
    /* shown as unknown */
  }
}
