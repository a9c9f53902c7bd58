// Keys are bound to the endpoint they were given for, wherever they came from (src/cloud/key-binding.ts): a listener
// on another loopback port never receives them, whether the page hands testConnection another URL or saves it first,
// for keys from the environment, saved keys and keys typed in the dialog; AWS keys and S3 endpoints alike; and the CLI
// sends none to an endpoint saved in the settings. Each case also shows the bound endpoint does get its keys, so the
// listeners are really asked.
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobStore } from '../../src/jobs/store/store';
import { createWorkbenchService, type WorkbenchService } from '../../src/workbench/service';
import { MemorySecretStore } from '../../src/workbench/secrets';
import { cli, gmshAvailable } from '../helpers/cli';
import { listener, type Listener } from '../helpers/listener';
import { demoPart, tmpHome } from '../helpers/paths';

const health = (_p: string, res: ServerResponse) => {
  res.setHeader('Content-Type', 'application/json');
  res.end(
    JSON.stringify({ service: 'meshbench-worker', version: '1', backend: 'emulator', gmsh: { version: '4.8.4' } }),
  );
};
const refuse = (_p: string, res: ServerResponse) => {
  res.statusCode = 403;
  res.end();
};

const services: WorkbenchService[] = [];
let bound: Listener; // the endpoint keys were given for
let other: Listener; // any other endpoint: must never see a key
beforeAll(async () => {
  bound = await listener(health);
  other = await listener(health);
});
afterAll(async () => {
  for (const s of services) await s.close();
  await bound.close();
  await other.close();
});

function service(env: NodeJS.ProcessEnv = {}, o: { home?: string; secrets?: MemorySecretStore } = {}) {
  const s = createWorkbenchService({
    home: o.home ?? tmpHome('meshbench-binding-'),
    secrets: o.secrets ?? new MemorySecretStore(),
    remote: null,
    env,
  });
  services.push(s);
  return s;
}
const check = (r: { checks: { name: string; detail: string }[] }, name: string) =>
  r.checks.find((c) => c.name === name)!.detail;
/** Runs `step` and returns what `l` was sent meanwhile (all header values). */
async function sentTo(l: Listener, step: () => Promise<unknown>): Promise<{ requests: number; text: string }> {
  const from = l.seen.length;
  await step();
  const mine = l.seen.slice(from);
  return { requests: mine.length, text: JSON.stringify(mine.map((s) => s.headers)) };
}

describe('Modal keys go only to the URL they were given for', () => {
  it('environment keys (MODAL_KEY/MODAL_SECRET without MESHBENCH_MODAL_URL) reach no URL the page names', async () => {
    const s = service({ MODAL_KEY: 'wk-env', MODAL_SECRET: 'ws-env' });
    const tested = await sentTo(other, () => s.testConnection({ modal: { url: other.url } }));
    expect(tested.requests).toBe(1); // asked, without keys
    expect(tested.text).not.toMatch(/wk-env|ws-env/);
    const saved = await sentTo(other, async () => {
      await s.saveSettings({ modal: { url: other.url } });
      return s.testConnection();
    });
    expect(saved.requests).toBe(1);
    expect(saved.text).not.toMatch(/wk-env|ws-env/);
    expect(check(await s.testConnection(), 'modal')).toMatch(/answers/);
    expect((await s.getSettings()).sources['modal.keys']).toEqual({ from: 'default' });
  });

  it("environment keys go to the environment's MESHBENCH_MODAL_URL, and a URL from the page does not move them", async () => {
    const s = service({ MODAL_KEY: 'wk-env', MODAL_SECRET: 'ws-env', MESHBENCH_MODAL_URL: bound.url });
    const asked = await sentTo(bound, () => s.testConnection());
    expect(asked.text).toContain('wk-env');
    const moved = await sentTo(other, async () => {
      await s.testConnection({ modal: { url: other.url } });
      await s.saveSettings({ modal: { url: other.url } });
      return s.testConnection();
    });
    expect(moved.requests).toBe(0); // the environment's URL wins over the page's
  });

  it('saved keys reach no other URL: tested with another one, or after saving another one', async () => {
    const s = service();
    await s.saveSettings({ modal: { url: bound.url, key: 'wk-saved', secret: 'ws-saved' } });
    expect((await sentTo(bound, () => s.testConnection())).text).toContain('wk-saved');
    const tested = await sentTo(other, () => s.testConnection({ modal: { url: other.url } }));
    expect(tested.requests).toBe(1);
    expect(tested.text).not.toMatch(/wk-saved|ws-saved/);
    const saved = await sentTo(other, async () => {
      await s.saveSettings({ modal: { url: other.url } });
      return s.testConnection();
    });
    expect(saved.requests).toBe(1);
    expect(saved.text).not.toMatch(/wk-saved|ws-saved/);
  });

  it('keys saved while the environment named the URL stay bound to it when a later session has another', async () => {
    const home = tmpHome('meshbench-binding-');
    const secrets = new MemorySecretStore();
    const first = service({ MESHBENCH_MODAL_URL: bound.url }, { home, secrets });
    // The dialog saves its URL field too; the keys are for the URL in force, the environment's.
    await first.saveSettings({ modal: { url: other.url, key: 'wk-for-env', secret: 'ws-for-env' } });
    expect((await sentTo(bound, () => first.testConnection())).text).toContain('wk-for-env');
    const later = service({}, { home, secrets }); // no MESHBENCH_MODAL_URL now: the saved URL is in force
    const asked = await sentTo(other, () => later.testConnection());
    expect(asked.requests).toBe(1);
    expect(asked.text).not.toMatch(/wk-for-env|ws-for-env/);
    expect((await later.getSettings()).modal.hasKey).toBe(false);
  });

  it('keys typed in the dialog go with the test of their URL, and are not kept for another', async () => {
    const s = service();
    const typed = { url: bound.url, key: 'wk-typed', secret: 'ws-typed' };
    expect((await sentTo(bound, () => s.testConnection({ modal: typed }))).text).toContain('wk-typed');
    const next = await sentTo(other, () => s.testConnection({ modal: { url: other.url } }));
    expect(next.text).not.toMatch(/wk-typed|ws-typed/);
    await s.saveSettings({ modal: typed });
    const saved = await sentTo(other, async () => {
      await s.saveSettings({ modal: { url: other.url } });
      return s.testConnection();
    });
    expect(saved.requests).toBe(1);
    expect(saved.text).not.toMatch(/wk-typed|ws-typed/);
  });
});

describe('AWS keys go only to the S3 endpoint they were given for', () => {
  let s3Bound: Listener;
  let s3Other: Listener;
  beforeAll(async () => {
    s3Bound = await listener(refuse);
    s3Other = await listener(refuse);
  });
  afterAll(async () => {
    await s3Bound.close();
    await s3Other.close();
  });
  const envKeys = { AWS_ACCESS_KEY_ID: 'AKIAENVKEY', AWS_SECRET_ACCESS_KEY: 'env-secret' };

  it('environment keys (for AWS) reach no endpoint the page names: nothing is sent, and Test says why', async () => {
    const s = service(envKeys);
    const tested = await sentTo(s3Other, async () => {
      const r = await s.testConnection({ s3: { bucket: 'b', endpoint: s3Other.url } });
      expect(check(r, 's3')).toMatch(/S3 keys for http:\/\/127\.0\.0\.1:\d+ .*only to AWS or to the environment's/);
    });
    expect(tested.text).not.toContain('AKIAENVKEY');
    const saved = await sentTo(s3Other, async () => {
      await s.saveSettings({ s3: { bucket: 'b', endpoint: s3Other.url } });
      return s.testConnection();
    });
    expect(saved.text).not.toContain('AKIAENVKEY');
  });

  it("environment keys sign for the environment's MESHBENCH_S3_ENDPOINT, which the page cannot move", async () => {
    const s = service({ ...envKeys, MESHBENCH_S3_ENDPOINT: s3Bound.url });
    expect((await sentTo(s3Bound, () => s.testConnection({ s3: { bucket: 'b' } }))).text).toContain('AKIAENVKEY');
    const moved = await sentTo(s3Other, async () => {
      await s.testConnection({ s3: { bucket: 'b', endpoint: s3Other.url } });
      await s.saveSettings({ s3: { bucket: 'b', endpoint: s3Other.url } });
      return s.testConnection();
    });
    expect(moved.requests).toBe(0);
  });

  it('saved and typed keys sign only for their endpoint', async () => {
    const s = service();
    const typed = { bucket: 'b', endpoint: s3Bound.url, accessKeyId: 'AKIATYPED', secretAccessKey: 'typed-secret' };
    expect((await sentTo(s3Bound, () => s.testConnection({ s3: typed }))).text).toContain('AKIATYPED');
    await s.saveSettings({ s3: { ...typed, accessKeyId: 'AKIASAVED', secretAccessKey: 'saved-secret' } });
    expect((await sentTo(s3Bound, () => s.testConnection())).text).toContain('AKIASAVED');
    const moved = await sentTo(s3Other, async () => {
      await s.testConnection({ s3: { endpoint: s3Other.url } });
      await s.saveSettings({ s3: { endpoint: s3Other.url } });
      return s.testConnection();
    });
    expect(moved.text).not.toMatch(/AKIATYPED|AKIASAVED/);
  });
});

describe.skipIf(!gmshAvailable())('the CLI sends no key to endpoints saved in the settings', () => {
  it('environment keys do not follow a saved Modal URL or S3 endpoint: exit 4 saying why, nothing sent', async () => {
    const [modal, s3] = [await listener(refuse), await listener(refuse)];
    try {
      const home = tmpHome('meshbench-binding-cli-');
      const store = new JobStore(home);
      store.setSetting('modal', { url: modal.url });
      store.setSetting('s3', { bucket: 'b', endpoint: s3.url });
      store.db.close();
      const r = await cli(['mesh', demoPart('bracket.step'), '--backend', 'modal', '--json'], home, {
        MODAL_KEY: 'wk-env',
        MODAL_SECRET: 'ws-env',
        AWS_ACCESS_KEY_ID: 'AKIAENVKEY',
        AWS_SECRET_ACCESS_KEY: 'env-secret',
        MESHBENCH_MODAL_URL: '',
        MESHBENCH_S3_ENDPOINT: '',
      });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/MODAL_KEY\/MODAL_SECRET for http:\/\/127\.0\.0\.1:\d+ \(those in the environment/);
      expect(r.stderr).toMatch(/S3 keys for http:\/\/127\.0\.0\.1:\d+ /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(modal.text() + s3.text()).not.toMatch(/wk-env|ws-env|AKIAENVKEY/);
    } finally {
      await modal.close();
      await s3.close();
    }
  });
});
