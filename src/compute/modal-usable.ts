// Whether Modal can take a job now, decided here and nowhere else (a job's backend, `meshbench resume`; the Modal
// executor can only be built from what this returns): the offload configuration must be complete, and `auto` also
// minds the circuit breaker (an explicit `modal` runs, and is recorded, whatever the breaker says).
import type { BreakerState } from '../contract/api';
import { missingHint, type OffloadConfig } from '../cloud/config';
import type { S3Settings } from '../cloud/s3';

/** What the Modal executor needs, complete. */
export interface ModalSettings {
  s3: S3Settings;
  modal: { url: string; key: string; secret: string };
  ec2BaselineUsdPerHour: number;
}

export interface Unusable {
  reason: string;
  hint: string;
}

export function modalUsable(
  requested: 'modal' | 'auto',
  config: OffloadConfig,
  /** Read only for `auto` (null: no breaker to mind). */
  breaker: (() => BreakerState) | null,
): { settings: ModalSettings; unusable?: undefined } | { unusable: Unusable; settings?: undefined } {
  const { s3, modal } = config;
  if (config.missing.length || !s3 || !modal?.key || !modal.secret)
    return {
      unusable: {
        reason: `Modal offload is not configured: ${config.missing.join(', ')} missing.`,
        hint: missingHint(config),
      },
    };
  if (requested === 'auto' && breaker) {
    const b = breaker();
    if (b.open)
      return {
        unusable: {
          reason: `The offload circuit breaker is open since ${b.since}: ${b.reason}.`,
          hint: 'Reset it with `meshbench doctor --reset-breaker` (or in Settings) once Modal/S3 are healthy.',
        },
      };
  }
  return {
    settings: {
      s3,
      modal: { url: modal.url, key: modal.key, secret: modal.secret },
      ec2BaselineUsdPerHour: config.ec2BaselineUsdPerHour,
    },
  };
}
