// The layers of docs/architecture.md, enforced (`npm run lint`). Paths are relative to the repository root.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'engine-not-shells',
      comment:
        'src/ is the engine: plain Node, usable by the CLI, the harness and the worker. It never reaches up into a shell or Electron.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(main|preload|renderer)/' },
    },
    {
      name: 'engine-not-electron',
      comment: 'src/ runs in plain Node; only main/ and preload/ may import electron.',
      severity: 'error',
      from: { pathNot: '^(main|preload)/' },
      to: { path: '(^|/)node_modules/electron/|^electron$' },
    },
    {
      name: 'renderer-only-contract',
      comment:
        'The renderer talks only to the WorkbenchApi: from the engine it may import the contract types and the harness codec, nothing else.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^src/', pathNot: '^src/contract/|^src/web/codec[.]ts$' },
    },
    {
      name: 'renderer-no-node',
      comment: 'The renderer is sandboxed web code: no Node built-ins.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shells-only-contract-and-workbench',
      comment:
        'main/ and preload/ are thin shells over WorkbenchService: they import the contract and src/workbench/ only.',
      severity: 'error',
      from: { path: '^(main|preload)/' },
      to: { path: '^src/', pathNot: '^src/(contract|workbench)/' },
    },
    {
      name: 'cli-is-a-leaf',
      comment: 'The CLI is a shell over the engine: nothing outside src/cli/ imports it.',
      severity: 'error',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-folder-cycles',
      comment: 'Folders inside src/ form layers: no two folders import each other, directly or around a loop.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'declared-packages-only',
      comment: 'Every imported package is declared in package.json (a clean install must have it).',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'resolvable',
      comment: 'An import that does not resolve is a typo or a missing file.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist|node_modules|resources|gpu-worker|test-artifacts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
