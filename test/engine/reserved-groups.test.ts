// The automatic groups' names (Body_<n>, Face_<n>, Interface_<a>_<b>, Curves, Points) are the engine's: a group of
// the user's under one of them is refused before Gmsh runs, with the same words in the CLI and in the desktop.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { channelOf } from '../../src/contract/api';
import { reservedGroupProblem } from '../../src/contract/groups';
import { DEFAULT_SETTINGS } from '../../src/contract/job';
import { buildHandlers } from '../../main/ipc';
import { createWorkbenchService } from '../../src/workbench/service';
import { MemorySecretStore } from '../../src/workbench/secrets';
import { cli } from '../helpers/cli';
import { demoPart, tmpHome } from '../helpers/paths';

const assembly = demoPart('assembly.step');
const WORDS = reservedGroupProblem('Interface_1_2')!;
const homes: string[] = [];
const home = () => {
  const h = tmpHome('meshbench-reserved-');
  homes.push(h);
  return h;
};
afterAll(() => homes.forEach((h) => rmSync(h, { recursive: true, force: true })));

it('the rule names the automatic groups and leaves other names alone', () => {
  expect(WORDS).toMatch(/Body_, Face_ and Interface_ names .*belong to the automatic groups/);
  for (const n of ['Body_1', 'Face_20', 'Interface_1_2', 'Curves', 'Points'])
    expect(reservedGroupProblem(n)).not.toBeNull();
  for (const n of ['Body', 'Faces_of_inlet', 'inlet', 'Interface', 'points_top'])
    expect(reservedGroupProblem(n)).toBeNull();
});

describe('meshbench mesh --group Interface_1_2=face:20', () => {
  it('is refused before any job or Gmsh run, with the reason', async () => {
    const h = home();
    const r = await cli(['mesh', assembly, '--group', 'Interface_1_2=face:20', '--json'], h);
    expect(r.code).not.toBe(0); // a flag commander refuses: a usage error, like every invalid flag
    expect(r.stderr).toContain(`--group "Interface_1_2=face:20": ${WORDS}.`);
    expect(r.stderr).not.toMatch(/already exists|at .*\.js:\d+/); // not Gmsh's words, no stack trace
    const jobs = await cli(['jobs', '--json'], h);
    expect(jobs.json()).toEqual([]);
  });
});

describe('the desktop (the IPC handlers over the workbench service)', () => {
  const h = home();
  const service = createWorkbenchService({
    home: h,
    secrets: new MemorySecretStore(),
    remote: null,
    pickFiles: async () => [assembly],
  });
  const trusted = { senderFrame: { url: 'file:///app/out/renderer/index.html', parent: null } };
  const handlers = buildHandlers(service, (f) => f?.url === trusted.senderFrame.url && !f.parent);
  afterAll(() => service.close());

  it('refuses to save the group with the part, in the same words', async () => {
    await handlers.get(channelOf('pickFiles'))!(trusted);
    const r = await handlers.get(channelOf('savePartGroups'))!(trusted, assembly, [
      { name: 'Interface_1_2', dim: 2, tags: [20] },
    ]);
    expect(r).toEqual({ ok: false, error: expect.objectContaining({ message: expect.stringContaining(WORDS) }) });
    // and the service itself, past the edge's schema, says it in the same words
    await expect(service.savePartGroups(assembly, [{ name: 'Interface_1_2', dim: 2, tags: [20] }])).rejects.toThrow(
      `Group "Interface_1_2": ${WORDS}.`,
    );
  });

  it('refuses a job whose settings carry it, before the job exists', async () => {
    const r = await handlers.get(channelOf('submitJob'))!(trusted, {
      inputPath: assembly,
      settings: { ...DEFAULT_SETTINGS, groups: [{ name: 'Interface_1_2', dim: 2, tags: [20] }] },
      backend: 'local',
    });
    expect(r).toEqual({ ok: false, error: expect.objectContaining({ message: expect.stringContaining(WORDS) }) });
    expect(await service.listJobs()).toEqual([]);
  });
});
