import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { RENDERER_CSP_META } from './src/contract/csp';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'main/index.ts') }, external: ['better-sqlite3'] },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
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
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // Smaller, faster-to-parse bundle for the window and the browser harness.
      minify: true,
      chunkSizeWarningLimit: 1500,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
