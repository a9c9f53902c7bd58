// A real s3rver in this process, on loopback, with one bucket, for the S3 client tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

export async function startS3rver(bucket = 'meshbench-test') {
  const dir = mkdtempSync(join(tmpdir(), 'meshbench-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: dir,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  const addr = await server.run();
  return {
    url: `http://127.0.0.1:${addr.port}`,
    bucket,
    dir,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const s3rverCreds = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
