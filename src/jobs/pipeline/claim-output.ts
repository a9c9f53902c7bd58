// One job, one output. A job's files in its output folder are `<name>.msh`, `<name>_result.json`,
// `<name>.quality.json` and its exports (`<name>` from the part's file name), so two jobs of one part aimed at one
// folder would write the same files, and the store would record a sha256 for a file that now holds the other job's
// mesh. The job claims its files when it is submitted, before anything is written:
// - another job still writing them (queued or running, in any process) -> this one is refused, naming it;
// - files of a finished job of this data folder -> they are moved to that job's own folder in the data folder
//   (`jobs/<id>/`) and its record follows them, so the folder holds the newest job's files and no mesh is lost;
// - files of a job this data folder does not know (another MESHBENCH_HOME's) -> refused: its record cannot follow.
// The claim itself is the new job's `<name>_result.json` (status queued), written inside the store transaction that
// creates the job, so two processes sharing a store take turns.
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isActive, type JobResult, type JobSpec, type JobStatus } from '../../contract/job';
import { ConfigError } from '../../util/errors';
import { rememberOutFolder } from '../store/heal';
import type { JobStore } from '../store/store';
import { outputName, writeResultFiles } from './result-files';

/** The files of a job named `name` in `dir` that another job could also write. */
const ownFiles = (job: JobResult, dir: string, name: string): string[] => {
  const files = [join(dir, `${name}_result.json`), join(dir, `${name}.quality.json`)];
  if (job.mesh) files.push(job.mesh.path);
  for (const e of job.exports ?? []) files.push(e.path);
  return [...new Set(files.map((f) => resolve(f)))].filter((f) => f.startsWith(dir + '/') && existsSync(f));
};

/** The job id and status a result file names, or null when there is none (or it is not ours). */
function folderSays(file: string): { id: string; status: JobStatus } | null {
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as { id?: unknown; status?: unknown };
    return typeof j.id === 'string' ? { id: j.id, status: j.status as JobStatus } : null;
  } catch {
    return null;
  }
}

const busy = (dir: string, name: string, other: string, status: string) =>
  new ConfigError(
    'output-busy',
    `${dir} is being written by job ${other} (${status}), which makes the same files (${name}.msh, ${name}_result.json): two jobs never share an output.`,
    `Choose another --out, or wait for job ${other} to finish.`,
  );

/**
 * Stores job `id` as queued with its output folder resolved, after claiming the files it will write there.
 * Returns the spec with that folder. Throws a ConfigError (exit 4) when another job holds them.
 */
export function claimOutput(store: JobStore, home: string, id: string, spec: JobSpec): JobSpec {
  const dir = resolve(spec.outDir ?? join(home, 'jobs', id));
  const name = outputName(spec.inputPath);
  const claimed = { ...spec, outDir: dir };
  mkdirSync(dir, { recursive: true });
  store.recover(); // a job whose process died since this one opened the store is not writing any more
  store.db
    .transaction(() => {
      const others = store.jobsWithOutput(dir, id).filter((j) => outputName(j.input.path) === name);
      const live = others.find((j) => isActive(j.status));
      if (live) throw busy(dir, name, live.id, live.status);
      const says = folderSays(join(dir, `${name}_result.json`));
      if (says && says.id !== id && !others.some((j) => j.id === says.id))
        throw isActive(says.status)
          ? busy(dir, name, says.id, says.status)
          : new ConfigError(
              'output-taken',
              `${dir} holds the files of job ${says.id} (${name}.msh, ${name}_result.json), which this data folder (${home}) does not know, so they cannot be moved to their job's folder.`,
              `Choose another --out, or move those files away first.`,
            );
      const moved = others.map((other) => moveToOwnFolder(store, home, other, dir, name, id));
      store.createJob(id, claimed);
      for (const m of moved) if (m) store.appendLog(id, 'info', m);
      store.flushLogs();
      if (spec.outDir) rememberOutFolder(home, dir);
      writeResultFiles(store.getJob(id)!, store.ownLog(id));
    })
    .immediate();
  return claimed;
}

/**
 * A finished job's files go to its own folder in the data folder; its record (and result file) follow them. Returns
 * what was done, for the new job's log, or null when none of its files were there.
 */
function moveToOwnFolder(
  store: JobStore,
  home: string,
  job: JobResult,
  dir: string,
  name: string,
  by: string,
): string | null {
  const own = resolve(home, 'jobs', job.id);
  if (own === dir)
    throw new ConfigError(
      'output-taken',
      `${dir} is the folder of job ${job.id}: its files stay there.`,
      'Choose another --out.',
    );
  const files = ownFiles(job, dir, name);
  if (!files.length) return null;
  mkdirSync(own, { recursive: true });
  const moved: [string, string][] = [];
  try {
    for (const f of files) {
      const to = join(own, f.slice(dir.length + 1));
      renameSync(f, to);
      moved.push([f, to]);
    }
  } catch (e) {
    for (const [from, to] of moved.reverse()) renameSync(to, from);
    throw e;
  }
  const at = (p: string) => (p.startsWith(dir + '/') ? join(own, p.slice(dir.length + 1)) : p);
  store.updateJob(job.id, {
    outDir: own,
    ...(job.mesh ? { mesh: { ...job.mesh, path: at(job.mesh.path) } } : {}),
    ...(job.exports ? { exports: job.exports.map((e) => ({ ...e, path: at(e.path) })) } : {}),
  });
  store.appendLog(job.id, 'info', `Files moved from ${dir} to ${own}: job ${by} was given the same output folder.`);
  store.flushLogs();
  writeResultFiles(store.getJob(job.id)!, store.ownLog(job.id));
  return `${dir} held job ${job.id}'s files of ${name}; moved them to ${own} (its record follows them).`;
}
