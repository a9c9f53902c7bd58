import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { RENDERER_CSP_META } from './src/contract/csp';

// `--mode e2e` is the browser end-to-end tests' build: it goes to out/e2e (never over what ships) and turns on the
// renderer's test-only DOM state (renderer/src/e2e-flag.d.ts). Every other mode defines the flag false.
export default defineConfig(({ mode }) => {
  const e2e = mode === 'e2e';
  const out = e2e ? 'out/e2e' : 'out';
  return {
    main: {
      build: {
        outDir: `${out}/main`,
        rollupOptions: { input: { index: resolve(__dirname, 'main/index.ts') }, external: ['better-sqlite3'] },
      },
    },
    preload: {
      build: {
        outDir: `${out}/preload`,
        rollupOptions: { input: { index: resolve(__dirname, 'preload/index.ts') } },
      },
    },
    renderer: {
      root: resolve(__dirname, 'renderer'),
      plugins: [
        react(),
        // index.html carries the one CSP (src/contract/csp.ts) as a meta tag.
        {
          name: 'meshbench-csp',
          transformIndexHtml: (html: string) => html.replace('%RENDERER_CSP%', RENDERER_CSP_META),
        },
      ],
      define: { __MESHBENCH_E2E__: JSON.stringify(e2e) },
      build: {
        outDir: resolve(__dirname, out, 'renderer'),
        // Smaller, faster-to-parse bundle for the window and the browser harness.
        minify: true,
        chunkSizeWarningLimit: 1500,
        rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
      },
    },
  };
});
