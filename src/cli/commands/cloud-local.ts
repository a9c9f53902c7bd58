// meshbench cloud-local: the offline stand-in for the cloud (s3rver + the worker emulator) on loopback.
// Once both answer it prints ONE JSON line on stdout, {"env": {...}, ...}, and stays up until SIGINT/SIGTERM.
import type { Command } from 'commander';
import { ConfigError } from '../../util/errors';
import { fail, say } from '../io';

export function register(program: Command) {
  program
    .command('cloud-local')
    .description('start a local S3-compatible store and the Modal worker emulator; print the env another shell needs')
    .option('--bucket <name>', 'bucket to create', 'meshbench')
    .option('--data <dir>', 'folder for the stored objects (default: a temp folder, removed on exit)')
    .option('--workers <n>', 'emulated containers running at once', '12')
    .option('--queue-delay <ms>', 'emulated cold start before each call runs', '0')
    .option('--result-ttl <s>', 'seconds a finished call stays retrievable (then 404)', '3600')
    .action(async (o) => {
      let cloud;
      try {
        const { startLocalCloud } = await import('../../cloud/local-cloud'); // loads only for this command
        cloud = await startLocalCloud({
          bucket: o.bucket,
          dataDir: o.data,
          emulatorEnv: {
            MESHBENCH_EMU_WORKERS: String(o.workers),
            MESHBENCH_EMU_QUEUE_DELAY_MS: String(o.queueDelay),
            MESHBENCH_EMU_RESULT_TTL_S: String(o.resultTtl),
          },
        });
      } catch (e) {
        fail(
          new ConfigError(
            'cloud-local',
            `Could not start the local cloud: ${(e as Error).message}`,
            'Needs /usr/bin/python3 with fastapi + uvicorn, the s3rver npm package, and `npm run build:engine`.',
          ),
        );
      }
      const c = cloud!;
      process.stdout.write(
        `${JSON.stringify({ env: c.env, s3: { endpoint: c.env.MESHBENCH_S3_ENDPOINT, bucket: c.env.MESHBENCH_S3_BUCKET, dataDir: c.s3.dataDir, pid: c.s3.pid, region: c.s3.region }, modal: { url: c.env.MESHBENCH_MODAL_URL, pid: c.emulator.pid, runner: c.emulator.runner } })}\n`,
      );
      say(
        `cloud-local: S3 at ${c.env.MESHBENCH_S3_ENDPOINT} (bucket ${c.env.MESHBENCH_S3_BUCKET}), Modal emulator at ${c.env.MESHBENCH_MODAL_URL}. Ctrl-C to stop.`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      say('cloud-local: stopping');
      await c.stop();
      process.exit(0);
    });
}
