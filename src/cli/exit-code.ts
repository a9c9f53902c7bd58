// The CLI's exit code for a job (the CLI contract: README, docs/architecture.md).
import { EXIT, type JobResult } from '../contract/job';

export function exitCodeOf(job: JobResult): number {
  switch (job.status) {
    case 'completed':
      return job.exports?.some((e) => e.error !== undefined) ? EXIT.exportFailed : EXIT.ok;
    case 'cancelled':
      return EXIT.cancelled;
    case 'rejected':
      return EXIT.inputRejected;
    default: {
      const code = job.error?.code ?? '';
      if (code.startsWith('input-')) return EXIT.inputRejected;
      if (code === 'all-attempts-failed') return EXIT.allAttemptsFailed;
      if (code === 'internal') return 1; // a bug, not one of the contract's outcomes
      return EXIT.unavailable;
    }
  }
}
