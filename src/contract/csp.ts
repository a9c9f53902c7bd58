// The renderer's Content-Security-Policy, one policy wherever the UI is served: Electron main sends it as a header,
// the browser harness too (its page reaches the engine over a loopback WebSocket, hence the ws://127.0.0.1 source),
// and the renderer build writes it into index.html as a meta tag.
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' ws://127.0.0.1:*",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

export const RENDERER_CSP = DIRECTIVES.join('; ');

/** The same policy for a <meta> tag, where browsers ignore frame-ancestors (the header carries it). */
export const RENDERER_CSP_META = DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors')).join('; ');
