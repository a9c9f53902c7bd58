// Lint: correctness, not style (layout is Prettier's job: `npm run format`). The layers are checked by
// dependency-cruiser (.dependency-cruiser.cjs) and unused exports by knip (knip.json); `npm run lint` runs all three.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const AS_NEVER = {
  selector: 'TSAsExpression > TSNeverKeyword.typeAnnotation',
  message: '`as never` switches the type check off; type the value instead.',
};

const PROCESS_ENV = [
  {
    selector: "AssignmentExpression > MemberExpression.left[object.object.name='process'][object.property.name='env']",
    message: 'Do not write process.env: pass the value to the code that needs it.',
  },
  {
    selector:
      "UnaryExpression[operator='delete'] > MemberExpression[object.object.name='process'][object.property.name='env']",
    message: 'Do not write process.env: pass the value to the code that needs it.',
  },
];

// Gmsh's script language (statements MeshBench writes into .geo files) belongs to src/geo/, whose builder checks every
// name, number and file name it puts in. Elsewhere such text would reach Gmsh unchecked.
const GEO_STATEMENT =
  '/(\\bPhysical (Point|Curve|Surface|Volume) *[(]|\\bField *\\[|\\b(Merge|Save|Include|Delete|SystemCall) *"|\\bSetFactory *[(]|\\b(Boolean(Fragments|Union|Difference|Intersection)|ClassifySurfaces|CreateGeometry|OptimizeMesh|CenterOfMass)\\b|\\b(Point|Curve|Surface|Volume|Boundary) *[{]|\\bPrintf *[(]|\\bFor +\\w+ +In +[{]|\\bBackground Field\\b|^Mesh [0-3];?$)/';
const GEO_TEXT = [
  {
    selector: `Literal[value=${GEO_STATEMENT}]`,
    message: 'Gmsh script text belongs to src/geo/ (its builder checks what goes in).',
  },
  {
    selector: `TemplateElement[value.raw=${GEO_STATEMENT}]`,
    message: 'Gmsh script text belongs to src/geo/ (its builder checks what goes in).',
  },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/**', 'test-artifacts/**', 'gpu-worker/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'no-restricted-syntax': ['error', AS_NEVER],
    },
  },
  // (each block names every no-restricted-syntax entry its files get: a later block replaces the rule's options)
  {
    // Product code outside src/geo/ writes no Gmsh script text.
    files: ['main/**/*.ts', 'preload/**/*.ts', 'renderer/**/*.{ts,tsx}', 'src/cli/main.ts'],
    rules: { 'no-restricted-syntax': ['error', AS_NEVER, ...GEO_TEXT] },
  },
  {
    // The engine passes what it chose as values: writing the process environment would steer everything else in
    // the process and every child it starts (the desktop's Gmsh path once went that way).
    // The CLI's entry point may set process-wide options for its own process before anything runs.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/main.ts', 'src/geo/**'],
    rules: { 'no-restricted-syntax': ['error', AS_NEVER, ...PROCESS_ENV, ...GEO_TEXT] },
  },
  {
    files: ['src/geo/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', AS_NEVER, ...PROCESS_ENV] },
  },
  {
    // CommonJS build and packaging scripts.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read the CLI's --json output and other loosely typed JSON.
    // Tests also hand the engine deliberately ill-typed input.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    // The renderer is web code: browser globals, not Node's; hooks follow React's rules.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    // exhaustive-deps warns: a few memos key on a version counter on purpose (log views over a mutable buffer).
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // Scripts that drive Chromium pass functions that run in the page.
    files: ['docs/**/*.mjs', 'test/e2e/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
