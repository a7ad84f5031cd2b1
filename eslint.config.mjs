// ESLint with type information (typescript-eslint): what the type checker cannot see, such as a
// promise nobody awaits, a promise passed where a callback's result is ignored, or an import
// that pulls in a value where only a type is used.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

function restrictImports(files, group, why) {
  return {
    files,
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group, message: `${why}.` }] }] },
  };
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.cache/**',
      'out/**',
      'bench/generated/**',
      '**/*.tmp.*',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // node:test's test() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Escaping and refusing control characters is deliberate where a regex names them.
      'no-control-regex': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  // The layers (test/unit/layers.test.ts holds them all; these say it as you type).
  restrictImports(['client/**/*.ts'], ['**/server/**'], 'the client imports only from common/'),
  restrictImports(
    ['server/src/simulation/**/*.ts'],
    ['../engine/*', '../rules/*', '../services/*', '../lsp/*', '../cli/*', '../languageService'],
    'the simulation depends on knowledge/ and common/ only',
  ),
  restrictImports(
    ['server/src/flowService/**/*.ts'],
    [
      '../engine/*',
      '../rules/*',
      '../services/*',
      '../lsp/*',
      '../cli/*',
      '../simulation/*',
      '../languageService',
      '../../../common/platform/*',
    ],
    'the Flow Service conversions depend on knowledge/ and common/ only, and make no request',
  ),
  restrictImports(
    ['server/src/engine/**/*.ts', 'server/src/knowledge/**/*.ts'],
    [
      '../rules/*',
      '../services/*',
      '../lsp/*',
      '../cli/*',
      '../languageService',
      '../simulation/*',
      '../host/*',
    ],
    'the engine sits below rules, services, the facade and the host',
  ),
  {
    // TypeScript itself reports undefined names in .ts files.
    files: ['**/*.ts'],
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
);
