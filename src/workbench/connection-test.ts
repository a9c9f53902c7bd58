// Settings' Test: Gmsh found and runnable, the S3 bucket reachable with the credentials bound to its endpoint, the
// Modal endpoint answering /health with the keys bound to its URL; each check in words.
import type { GmshInfo } from '../contract/api';
import type { OffloadConfig } from '../cloud/config';
import { errorMessage } from '../util/errors';

type Check = { name: string; ok: boolean; detail: string };

export async function connectionChecks(
  gmsh: GmshInfo | null,
  c: OffloadConfig,
): Promise<{ ok: boolean; checks: Check[] }> {
  const checks: Check[] = [
    gmsh
      ? { name: 'gmsh', ok: true, detail: `Gmsh ${gmsh.version} at ${gmsh.path}` }
      : { name: 'gmsh', ok: false, detail: 'Gmsh not found (set its path, or MESHBENCH_GMSH).' },
  ];
  // The AWS SDK and the Modal client load only when a connection is actually tested (startup stays quick).
  const [{ S3Store }, { ModalClient }] = await Promise.all([import('../cloud/s3'), import('../cloud/modal-client')]);
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
    checks.push({
      name: 's3',
      ok: false,
      // A bucket on an endpoint that may not be used says why (http off this machine, no keys given for it).
      detail:
        c.missing.find((m) => /^(S3 keys for|an https S3 endpoint)/.test(m)) ??
        'No bucket configured (S3 bucket, or MESHBENCH_S3_BUCKET).',
    });
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
}
