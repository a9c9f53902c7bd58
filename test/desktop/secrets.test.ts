// Secrets: keys forgotten when the place they were given for changes, sent only over https (plain http only to
// loopback) and never along a redirect, kept in memory without a keyring unless the user chooses to store them,
// a corrupt secrets file moved aside with a notice, and files written atomically.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveOffloadConfig } from '../../src/cloud/config';
import { keysRefusedOver } from '../../src/cloud/key-transport';
import { ModalClient, ModalError } from '../../src/cloud/modal-client';
import { writeFileAtomic } from '../../src/util/atomic-write';
import { createWorkbenchService, type WorkbenchService } from '../../src/workbench/service';
import { FileSecretStore, MemorySecretStore } from '../../src/workbench/secrets';
import { tmpHome } from '../helpers/paths';

const services: WorkbenchService[] = [];
const servers: Server[] = [];
afterAll(async () => {
  for (const s of services) await s.close();
  for (const s of servers) s.close();
});
function serviceWith(opts: Partial<Parameters<typeof createWorkbenchService>[0]> = {}) {
  const home = tmpHome('meshbench-secrets-');
  const s = createWorkbenchService({ home, secrets: new MemorySecretStore(), remote: null, ...opts });
  services.push(s);
  return { s, home };
}
/** A loopback HTTP server recording the requests it gets. */
async function recorder(handler: (path: string, res: import('node:http').ServerResponse) => void, host = '127.0.0.1') {
  const seen: { path: string; key: string | undefined }[] = [];
  const srv = createServer((req, res) => {
    seen.push({ path: req.url ?? '', key: req.headers['modal-key'] as string | undefined });
    handler(req.url ?? '', res);
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, host, r));
  return { seen, port: (srv.address() as AddressInfo).port };
}

describe('keys follow the place they were given for', () => {
  it('a new Modal URL or S3 endpoint forgets the stored keys; the same one keeps them; new keys in the same save stay', async () => {
    const { s } = serviceWith();
    await s.saveSettings({
      modal: { url: 'https://a.modal.run', key: 'wk-1', secret: 'ws-1' },
      s3: { bucket: 'b', endpoint: 'https://s3.a.example', accessKeyId: 'AK1', secretAccessKey: 'SK1' },
    });
    expect((await s.getSettings()).modal.hasKey).toBe(true);
    // Saving the same values again (the dialog sends them every time) keeps the keys.
    const same = await s.saveSettings({
      modal: { url: 'https://a.modal.run' },
      s3: { bucket: 'b', endpoint: 'https://s3.a.example' },
    });
    expect([same.modal.hasKey, same.s3.hasKeys]).toEqual([true, true]);
    const moved = await s.saveSettings({
      modal: { url: 'https://b.modal.run' },
      s3: { endpoint: 'https://s3.b.example' },
    });
    expect([moved.modal.hasKey, moved.s3.hasKeys]).toEqual([false, false]);
    const fresh = await s.saveSettings({ modal: { url: 'https://c.modal.run', key: 'wk-2', secret: 'ws-2' } });
    expect(fresh.modal.hasKey).toBe(true);
  });
});

describe('keys travel only over https (plain http to loopback only), never along a redirect', () => {
  it('says which URLs may carry keys', () => {
    expect(keysRefusedOver('https://x.modal.run', 'The Modal URL')).toBeNull();
    expect(keysRefusedOver('http://127.0.0.1:8000', 'The Modal URL')).toBeNull();
    expect(keysRefusedOver('http://localhost:9', 'The Modal URL')).toBeNull();
    expect(keysRefusedOver('http://[::1]:9', 'The Modal URL')).toBeNull();
    expect(keysRefusedOver('http://modal.example.com', 'The Modal URL')).toMatch(/not https/);
    expect(keysRefusedOver('http://127.0.0.1.evil.example', 'The S3 endpoint')).toMatch(/not https/);
  });

  it('an http Modal URL or S3 endpoint off this machine leaves offloading unconfigured, saying why', () => {
    const c = resolveOffloadConfig({
      env: {
        MESHBENCH_MODAL_URL: 'http://modal.example.com',
        MODAL_KEY: 'wk',
        MODAL_SECRET: 'ws',
        MESHBENCH_S3_BUCKET: 'b',
        MESHBENCH_S3_ENDPOINT: 'http://minio.example.com:9000',
      },
    });
    expect(c.modal?.key).toBeNull();
    expect(c.s3).toBeNull();
    expect(c.missing.join(' | ')).toMatch(/an https S3 endpoint .*minio\.example\.com.*\| an https Modal URL/);
  });

  it('the client refuses to send keys to a non-loopback http address: the server never sees a request', async () => {
    const ip = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!ip) return console.log('no non-loopback IPv4 interface: skipped');
    const rec = await recorder((_p, res) => res.end('{}'), '0.0.0.0');
    const c = new ModalClient({ url: `http://${ip}:${rec.port}`, key: 'wk-secret', secret: 'ws-secret' });
    const e = await c.health().catch((x) => x);
    expect(e).toBeInstanceOf(ModalError);
    expect(e.message).toMatch(/not https: keys are sent only over https/);
    expect(rec.seen).toEqual([]);
  });

  it('does not follow a redirect with the keys', async () => {
    const target = await recorder((_p, res) => res.end('{}'));
    const redirector = await recorder((_p, res) => {
      res.writeHead(302, { Location: `http://127.0.0.1:${target.port}/health` });
      res.end();
    });
    const c = new ModalClient({ url: `http://127.0.0.1:${redirector.port}`, key: 'wk-secret', secret: 'ws-secret' });
    const e = await c.health().catch((x) => x);
    expect(e).toBeInstanceOf(ModalError);
    expect(e.message).toMatch(/answered a redirect \(HTTP 302/);
    expect(redirector.seen).toHaveLength(1);
    expect(target.seen).toEqual([]);
  });
});

describe('stored keys', () => {
  it('without a keyring (basic_text) keys stay in memory unless the user chooses to store them', async () => {
    const file = join(tmpHome('meshbench-keyring-'), 'secrets.bin');
    const { s } = serviceWith({ secrets: new FileSecretStore(file), keyring: 'basic_text' });
    const st = await s.saveSettings({ modal: { url: 'https://a.modal.run', key: 'wk-1', secret: 'ws-1' } });
    expect(st.keys).toMatchObject({ backend: 'basic_text', encrypted: false, persist: false });
    expect(st.modal.hasKey).toBe(true);
    expect(existsSync(file)).toBe(false); // nothing on disk
    const on = await s.saveSettings({ persistKeys: true });
    expect(on.keys.persist).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))['modal.key']).toBe('wk-1');
    const off = await s.saveSettings({ persistKeys: false });
    expect(off.modal.hasKey).toBe(true); // still usable this session
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});
    // With a keyring nothing changes: keys are stored (encrypted by the OS).
    const { s: k } = serviceWith({ keyring: 'gnome_libsecret' });
    expect((await k.getSettings()).keys).toMatchObject({ encrypted: true, persist: true });
  });

  it('a corrupt secrets file is moved aside with a notice instead of breaking Settings', async () => {
    const home = tmpHome('meshbench-corrupt-');
    const file = join(home, 'secrets.bin');
    writeFileSync(file, 'this is {not json');
    const { s } = serviceWith({ secrets: new FileSecretStore(file), keyring: 'gnome_libsecret' });
    const st = await s.getSettings();
    expect(st.modal.hasKey).toBe(false);
    expect(st.keys.notice).toMatch(
      /could not be read \(not valid JSON\); the file was moved to .*secrets\.bin\.unreadable-/,
    );
    expect(st.keys.notice).not.toContain('this is');
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(home).some((f) => f.startsWith('secrets.bin.unreadable-'))).toBe(true);
    // And keys can be stored again.
    expect((await s.saveSettings({ modal: { url: 'https://a.modal.run', key: 'k', secret: 's' } })).modal.hasKey).toBe(
      true,
    );
    // A file encrypted for another user or keyring fails to decrypt: the same.
    writeFileSync(file, 'x');
    const enc = new FileSecretStore(file, {
      encrypt: (t) => Buffer.from(t),
      decrypt: () => {
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      },
    });
    expect(enc.get('modal.key')).toBeNull();
    expect(enc.notice).toMatch(/corrupt, or encrypted for another user or keyring/);
  });

  it('writes secrets 0600 by replacing the file (temp, fsync, rename), never by truncating it in place', () => {
    const file = join(tmpHome('meshbench-atomic-'), 'secrets.bin');
    const store = new FileSecretStore(file);
    store.set('modal.key', 'one');
    const first = statSync(file);
    store.set('modal.key', 'two');
    const second = statSync(file);
    expect(second.ino).not.toBe(first.ino); // a new file renamed over the old one
    if (process.platform !== 'win32') expect(second.mode & 0o777).toBe(0o600);
    expect(readdirSync(join(file, '..')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    writeFileAtomic(join(file, '..', 'r.json'), '{"a":1}\n');
    expect(readFileSync(join(file, '..', 'r.json'), 'utf8')).toBe('{"a":1}\n');
  });
});

describe("Settings: where values come from, and Test on the dialog's values without saving", () => {
  const health = (_p: string, res: import('node:http').ServerResponse) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(
      JSON.stringify({
        service: 'meshbench-worker',
        version: '1',
        backend: 'emulator',
        gmsh: { version: '4.8.4' },
        gpu: null,
      }),
    );
  };

  it('names the source of each value: environment (by variable, key never shown), saved, or default', async () => {
    const env = { MESHBENCH_S3_BUCKET: 'env-bucket', MODAL_KEY: 'wk-env-secret', MODAL_SECRET: 'ws-env-secret' };
    const { s } = serviceWith({ env: { ...env, MESHBENCH_MODAL_URL: 'https://env.modal.run' } });
    const st = await s.saveSettings({ s3: { region: 'eu-west-1' } });
    expect(st.sources['s3.bucket']).toEqual({ from: 'environment', variable: 'MESHBENCH_S3_BUCKET' });
    expect(st.sources['modal.keys']).toEqual({ from: 'environment', variable: 'MODAL_KEY and MODAL_SECRET' });
    // Without the environment's own Modal URL its keys go nowhere, so they are not the keys in force.
    const { s: bare } = serviceWith({ env });
    expect((await bare.getSettings()).sources['modal.keys']).toEqual({ from: 'default' });
    expect(st.sources['s3.region']).toEqual({ from: 'saved' });
    expect(st.sources.ec2).toEqual({ from: 'default' });
    expect(st.sources['s3.keys']).toEqual({ from: 'default' });
    expect(JSON.stringify(st)).not.toMatch(/env-secret/);
  });

  it('tests the URL typed in the dialog without saving it, and never sends stored keys to a URL they were not given for', async () => {
    const rec = await recorder(health);
    const { s } = serviceWith();
    await s.saveSettings({ modal: { url: 'https://saved.modal.run', key: 'wk-saved', secret: 'ws-saved' } });
    const url = `http://127.0.0.1:${rec.port}`;
    const r = await s.testConnection({ modal: { url } });
    const modal = r.checks.find((c) => c.name === 'modal')!;
    expect(modal).toEqual({
      name: 'modal',
      ok: true,
      detail: `${url} answers: meshbench-worker 1 (emulator), Gmsh 4.8.4`,
    });
    expect(rec.seen).toEqual([{ path: '/health', key: undefined }]); // the saved key stayed home
    expect((await s.getSettings()).modal).toEqual({ url: 'https://saved.modal.run', hasKey: true }); // nothing saved
    // Keys typed in the dialog go with the test.
    await s.testConnection({ modal: { url, key: 'wk-typed', secret: 'ws-typed' } });
    expect(rec.seen.at(-1)).toEqual({ path: '/health', key: 'wk-typed' });
    expect((await s.getSettings()).modal.url).toBe('https://saved.modal.run');
  });
});
