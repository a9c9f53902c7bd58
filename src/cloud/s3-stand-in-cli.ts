// The stand-in's S3 as its own process (out/engine/s3-stand-in.cjs): s3rver with one bucket, behind the strict
// front (AWS's region, signature and checksum rules). A process of its own, so a caller that blocks its event loop
// (a synchronous child process in a test, a busy CLI) never stalls the store. Prints one JSON line once it serves:
// {"port": <front>, "s3rverPort": N, "pid": P}; exits when stdin closes or on SIGTERM/SIGINT.
import { startStrictS3 } from './strict-s3';

async function main() {
  const env = process.env;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require(env.S3RVER_MODULE || 's3rver');
  const key = env.S3_STAND_IN_KEY || 'S3RVER';
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: env.S3RVER_DIR,
    silent: true,
    configureBuckets: [{ name: env.S3RVER_BUCKET }],
  });
  const addr = await s3rver.run();
  const front = await startStrictS3({
    target: `http://127.0.0.1:${addr.port}`,
    region: env.S3_STAND_IN_REGION || 'eu-west-3',
    accounts: { [key]: key },
    port: Number(env.S3_STAND_IN_PORT || 0),
  });
  process.stdout.write(
    `${JSON.stringify({ port: Number(new URL(front.url).port), s3rverPort: addr.port, pid: process.pid, region: front.region })}\n`,
  );
  const bye = () => Promise.allSettled([front.close(), s3rver.close()]).finally(() => process.exit(0));
  process.on('SIGTERM', bye);
  process.on('SIGINT', bye);
  process.stdin.on('end', bye);
  process.stdin.resume();
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message ?? e}\n`);
  process.exit(1);
});
