import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The renderer bundles the browser and packaging suites read, built once (when stale) before any suite runs.
    globalSetup: ['test/helpers/builds.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Real Gmsh and Chromium share two cores; keep file parallelism modest.
    maxWorkers: 2,
  },
});
