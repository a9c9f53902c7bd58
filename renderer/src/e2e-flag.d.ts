/**
 * Build-time flag for test-only DOM state (the job a viewer shows, a job row's id and status, the log's line count,
 * window.__meshbenchViewers: each viewer's scene, for what it drew and where a face shows).
 * `electron-vite build --mode e2e` (the browser end-to-end tests' build, in out/e2e) defines it as true; every other
 * build defines it as false, so the minifier drops each `__MESHBENCH_E2E__ ? … : …` branch from what ships.
 * Use it inline at each site: a helper function would keep the attribute names in the production bundle.
 */
declare const __MESHBENCH_E2E__: boolean;
