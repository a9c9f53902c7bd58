// Where keys may travel: Modal proxy-auth keys and S3 signatures go only over https, except to this machine
// (loopback: the local stand-in), and the requests that carry them never follow a redirect.

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

/** Why keys may not be sent to `url`, or null when they may. */
export function keysRefusedOver(url: string, what: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `${what} ${url} is not a URL`;
  }
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && LOOPBACK.test(u.hostname)) return null;
  return `${what} ${u.origin} is not https: keys are sent only over https (plain http only to this machine)`;
}
