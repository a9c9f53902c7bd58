// Keys belong to the endpoint they were given for, wherever they come from, and no other endpoint gets them:
// - MODAL_KEY/MODAL_SECRET in the environment: the environment's MESHBENCH_MODAL_URL (without one, no URL at all:
//   there is no default Modal URL they could have been meant for);
// - AWS keys from the environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, whatever the SDK's own
//   chain finds): the environment's MESHBENCH_S3_ENDPOINT, or AWS itself when the environment names none;
// - keys saved or typed in Settings: the endpoint in force when they were given, recorded beside them
//   (`modal.keysFor`, `s3.keysFor` in the secret store).
// So a Modal URL or S3 endpoint that a page, a saved setting or a typo puts in force gets no key unless the user
// gives it one.
import type { Endpoints, SecretName, SecretsReader } from './config';

/** The binding recorded for keys given for AWS itself (no S3 endpoint). */
const AWS = 'aws';
/** How a Modal URL or S3 endpoint is recorded beside its keys and compared: trimmed, no trailing slash. */
export const modalBinding = (url: string): string => url.trim().replace(/\/+$/, '');
export const s3Binding = (endpoint: string | null): string => (endpoint ? modalBinding(endpoint) : '') || AWS;

/** The secret store's names of one service's keys and of the endpoint they are bound to. */
export const KEY_NAMES = {
  s3: { id: 's3.accessKeyId', secret: 's3.secretAccessKey', boundTo: 's3.keysFor' },
  modal: { id: 'modal.key', secret: 'modal.secret', boundTo: 'modal.keysFor' },
} as const satisfies Record<string, { id: SecretName; secret: SecretName; boundTo: SecretName }>;
export type KeyService = keyof typeof KEY_NAMES;

/** The binding of the endpoint in force for `service`. */
export const bindingInForce = (service: KeyService, where: Endpoints): string | null =>
  service === 'modal' ? (where.modalUrl ? modalBinding(where.modalUrl) : null) : s3Binding(where.s3Endpoint);

/** Stored keys of `service`, if both halves are there and they were given for the endpoint in force. */
export function storedKeys(
  service: KeyService,
  secrets: SecretsReader | null | undefined,
  where: Endpoints,
): { id: string; secret: string } | null {
  const n = KEY_NAMES[service];
  const id = secrets?.get(n.id);
  const secret = secrets?.get(n.secret);
  const inForce = bindingInForce(service, where);
  return id && secret && inForce !== null && secrets?.get(n.boundTo) === inForce ? { id, secret } : null;
}

/** Whether the environment's Modal keys may go to the URL in force: only to the environment's own URL. */
export const envModalKeysBound = (where: Endpoints): boolean => where.modalFromEnv;

/**
 * Whether credentials from the environment (keys, profile, the SDK's chain) may sign for the S3 endpoint in force:
 * the environment's own endpoint, or AWS when neither the environment nor the settings name one.
 */
export const envS3KeysBound = (where: Endpoints): boolean => where.s3FromEnv || where.s3Endpoint === null;
