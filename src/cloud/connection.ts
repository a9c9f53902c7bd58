// "Test connection" for Settings and doctor: does the Modal endpoint answer with these keys, and may these
// credentials use this bucket? Each check says what it found or what to fix.
import type { OffloadConfig } from './config';
import { missingHint } from './config';
import { ModalClient } from './modal-client';
import { S3Store } from './s3';

export interface ConnectionCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export async function testConnection(config: OffloadConfig): Promise<{ ok: boolean; checks: ConnectionCheck[] }> {
  const checks: ConnectionCheck[] = [];
  if (config.missing.length)
    checks.push({
      name: 'offload config',
      ok: false,
      detail: `${config.missing.join(', ')} missing. ${missingHint(config)}`,
    });
  const tasks: Promise<void>[] = [];
  if (config.modal) {
    const modal = config.modal;
    tasks.push(
      (async () => {
        const t = performance.now();
        try {
          const h = await new ModalClient({
            url: modal.url,
            key: modal.key,
            secret: modal.secret,
            requestTimeoutMs: 8000,
          }).health(0);
          checks.push({
            name: 'modal',
            ok: true,
            detail: `${modal.url} answers in ${Math.round(performance.now() - t)} ms: ${h.backend ?? 'modal'}, Gmsh ${h.gmsh?.version ?? '?'}${h.gpu ? `, ${h.gpu}` : ''}`,
          });
        } catch (e) {
          const err = e as Error & { hint?: string };
          checks.push({ name: 'modal', ok: false, detail: `${err.message}${err.hint ? ` ${err.hint}` : ''}` });
        }
      })(),
    );
  }
  if (config.s3) {
    const s3cfg = config.s3;
    tasks.push(
      (async () => {
        const s3 = new S3Store({ ...s3cfg, tries: 1 });
        const t = performance.now();
        try {
          await s3.checkBucket();
          checks.push({
            name: 's3',
            ok: true,
            detail: `bucket "${s3cfg.bucket}" reachable at ${s3cfg.endpoint ?? `AWS S3 (${s3cfg.region})`} in ${Math.round(performance.now() - t)} ms`,
          });
        } catch (e) {
          const err = e as Error & { hint?: string };
          checks.push({ name: 's3', ok: false, detail: `${err.message}${err.hint ? ` ${err.hint}` : ''}` });
        } finally {
          s3.client.destroy();
        }
      })(),
    );
  }
  await Promise.all(tasks);
  return { ok: checks.length > 0 && checks.every((c) => c.ok), checks };
}
