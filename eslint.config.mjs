// Lint: correctness, not style (layout is Prettier's job: `npm run format`). The layers are checked by
// dependency-cruiser (.dependency-cruiser.cjs) and unused exports by knip (knip.json); `npm run lint` runs all three.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

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
      'no-restricted-syntax': [
        'error',
        {
          selector: 'TSAsExpression > TSNeverKeyword.typeAnnotation',
          message: '`as never` switches the type check off; type the value instead.',
        },
      ],
    },
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
