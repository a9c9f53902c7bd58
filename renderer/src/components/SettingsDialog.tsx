// Settings: Gmsh, data folder, S3, Modal, defaults for new jobs. Each value says where it comes from; "Test" checks
// the values in the dialog without saving them. Keys are write-only here: the engine says only whether it has them.
import { useEffect, useState } from 'react';
import { Dialog } from './Dialog';
import type { SettingField, Settings, SettingsPatch } from '../../../src/contract/api';
import { errorText, getApi } from '../api';
import { useStore } from '../store';
import { toast } from '../actions';

export function SettingsDialog() {
  const s = useStore((x) => x.appSettings);
  const { setAppSettings, closeSettings } = useStore.getState();
  const [info, setInfo] = useState<{
    version: string;
    gmsh: { path: string; version: string } | null;
    dataDir: string;
  } | null>(null);
  const [form, setForm] = useState({
    bucket: s?.s3.bucket ?? '',
    region: s?.s3.region ?? '',
    endpoint: s?.s3.endpoint ?? '',
    profile: s?.s3.profile ?? '',
    accessKeyId: '',
    secretAccessKey: '',
    modalUrl: s?.modal.url ?? '',
    modalKey: '',
    modalSecret: '',
    ec2: String(s?.ec2BaselineUsdPerHour ?? ''),
  });
  const [checks, setChecks] = useState<{ name: string; ok: boolean; detail: string }[] | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    getApi()
      .appInfo()
      .then(setInfo, () => undefined);
  }, []);

  const f = (k: keyof typeof form) => ({
    value: form[k],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.target.value }),
  });

  const pickGmsh = async (auto: boolean) => {
    try {
      const next = auto ? await getApi().saveSettings({ gmshPath: null }) : await getApi().pickGmsh();
      setAppSettings(next);
      setInfo(await getApi().appInfo());
    } catch (e) {
      toast('error', `Gmsh not changed: ${errorText(e)}`);
    }
  };

  const patchFromForm = (): SettingsPatch => {
    const patch: SettingsPatch = {
      s3: {
        bucket: form.bucket.trim(),
        region: form.region.trim(),
        endpoint: form.endpoint.trim() || null,
        profile: form.profile.trim() || null,
      },
      modal: { url: form.modalUrl.trim() || null },
      defaults: useStore.getState().settings,
      compute: useStore.getState().compute,
    };
    if (form.ec2.trim()) patch.ec2BaselineUsdPerHour = Number(form.ec2);
    if (form.accessKeyId) patch.s3!.accessKeyId = form.accessKeyId;
    if (form.secretAccessKey) patch.s3!.secretAccessKey = form.secretAccessKey;
    if (form.modalKey) patch.modal!.key = form.modalKey;
    if (form.modalSecret) patch.modal!.secret = form.modalSecret;
    return patch;
  };

  const save = async () => {
    setBusy(true);
    try {
      setAppSettings(await getApi().saveSettings(patchFromForm()));
      setForm((x) => ({ ...x, accessKeyId: '', secretAccessKey: '', modalKey: '', modalSecret: '' }));
      toast('info', 'Settings saved.');
    } catch (e) {
      toast('error', `Settings not saved: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };

  // Checks what is typed in the dialog as it would be once saved; nothing is saved.
  const test = async () => {
    setBusy(true);
    setChecks(null);
    try {
      setChecks((await getApi().testConnection(patchFromForm())).checks);
    } catch (e) {
      toast('error', `Test not run: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Settings"
      onClose={closeSettings}
      testId="settings-dialog"
      status={
        checks && (
          <ul className="checks" data-testid="connection-checks">
            {checks.map((c) => (
              <li key={c.name} className={c.ok ? 'ok' : 'bad'} data-testid={`check-${c.name}`}>
                {c.ok ? '✓' : '✗'} {CHECK_NAME[c.name] ?? c.name}: {c.ok ? 'passed' : 'failed'} — {c.detail}
              </li>
            ))}
          </ul>
        )
      }
      actions={
        <>
          <button onClick={closeSettings}>Close</button>
          <button
            onClick={() => void test()}
            disabled={busy}
            data-testid="test-connection"
            title={busy ? 'A check is running' : 'Check Gmsh, S3 and Modal with the values above, without saving them'}
          >
            {busy ? 'Checking…' : 'Test'}
          </button>
          <button
            className="primary"
            onClick={() => void save()}
            disabled={busy}
            data-testid="save-settings"
            title={busy ? 'A check is running' : 'Save these settings'}
          >
            Save
          </button>
        </>
      }
    >
      <div className="form">
        <h4>Gmsh</h4>
        {/* The page never types a Gmsh path: main's native dialog chooses it (or the environment / CLI). */}
        <div className="row">
          Executable: {s?.gmshPath ?? 'auto (environment, bundled, then PATH)'} <Source s={s} field="gmsh" />{' '}
          <button
            disabled={busy}
            onClick={() => void pickGmsh(false)}
            data-testid="pick-gmsh"
            title={busy ? 'A check is running' : 'Choose the Gmsh executable'}
          >
            Choose…
          </button>{' '}
          {s?.gmshPath && (
            <button
              disabled={busy}
              onClick={() => void pickGmsh(true)}
              title={busy ? 'A check is running' : 'Find Gmsh by itself again'}
            >
              Auto
            </button>
          )}
        </div>
        <div className="muted">
          In use: {info?.gmsh ? `${info.gmsh.path} — Gmsh ${info.gmsh.version}` : 'not found'}
        </div>
        <div className="muted">Data folder: {info?.dataDir ?? s?.dataDir}</div>
        <h4>S3</h4>
        <label>
          Bucket <input {...f('bucket')} /> <Source s={s} field="s3.bucket" />
        </label>
        <label>
          Region <input {...f('region')} placeholder="us-east-1" /> <Source s={s} field="s3.region" />
        </label>
        <label>
          Endpoint <input {...f('endpoint')} placeholder="AWS (leave empty) or http://127.0.0.1:4568" />{' '}
          <Source s={s} field="s3.endpoint" />
        </label>
        <label>
          Profile <input {...f('profile')} placeholder="default credential chain" /> <Source s={s} field="s3.profile" />
        </label>
        <label>
          Access key id{' '}
          <input
            {...f('accessKeyId')}
            placeholder={s?.s3.hasKeys ? 'stored (type to replace)' : 'optional'}
            autoComplete="off"
          />{' '}
          <Source s={s} field="s3.keys" />
        </label>
        <label>
          Secret access key{' '}
          <input
            type="password"
            {...f('secretAccessKey')}
            placeholder={s?.s3.hasKeys ? 'stored (type to replace)' : 'optional'}
            autoComplete="off"
          />
        </label>
        <h4>Modal</h4>
        <label>
          Endpoint URL <input {...f('modalUrl')} placeholder="https://…modal.run" /> <Source s={s} field="modal.url" />
        </label>
        <label>
          Proxy-auth key{' '}
          <input
            {...f('modalKey')}
            placeholder={s?.modal.hasKey ? 'stored (type to replace)' : ''}
            autoComplete="off"
          />{' '}
          <Source s={s} field="modal.keys" />
        </label>
        <label>
          Proxy-auth secret{' '}
          <input
            type="password"
            {...f('modalSecret')}
            placeholder={s?.modal.hasKey ? 'stored (type to replace)' : ''}
            autoComplete="off"
          />
        </label>
        {s?.keys.notice && (
          <div className="error-text" data-testid="keys-notice">
            {s.keys.notice}
          </div>
        )}
        {s?.keys.backend === 'basic_text' && (
          // Linux without a keyring: say it, and let the user keep keys for this session only.
          <label className="muted" data-testid="keys-no-keyring">
            <input
              type="checkbox"
              checked={s.keys.persist}
              disabled={busy}
              onChange={(e) =>
                void getApi()
                  .saveSettings({ persistKeys: e.target.checked })
                  .then(setAppSettings, (x) => toast('error', errorText(x)))
              }
            />{' '}
            No keyring on this system: keys on disk would only be obfuscated. Store them anyway (else they last this
            session).
          </label>
        )}
        <h4>Cost</h4>
        <label>
          EC2 baseline $/h <input {...f('ec2')} /> <Source s={s} field="ec2" />
        </label>
        <div className="muted">New jobs use the mesh settings in the side panel as defaults when you save.</div>
      </div>
    </Dialog>
  );
}

const CHECK_NAME: Record<string, string> = { gmsh: 'Gmsh', s3: 'S3', modal: 'Modal' };

/** Where a value in force comes from; the environment wins over what is saved here (a key there is named, not shown). */
function Source({ s, field }: { s: Settings | null; field: SettingField }) {
  const src = s?.sources?.[field];
  if (!src) return null;
  const text =
    src.from === 'environment'
      ? `from the environment (${src.variable}; wins over this field)`
      : src.from === 'saved'
        ? 'saved'
        : 'default';
  return (
    <span className={`muted small source-${src.from}`} data-testid={`source-${field}`}>
      {text}
    </span>
  );
}
