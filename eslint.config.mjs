// Flat ESLint config: type-aware rules for every TypeScript file in the repo.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { workspaceBoundaries } from './scripts/lint/workspace-boundaries.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'apps/console/dist/**', 'test/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['apps/console/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['scripts/**', 'bench/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  ...workspaceBoundaries,
  // Repositories own the SQL (docs/decisions/0027-repositories-own-the-sql.md).
  ...[
    // In the apps, a statement runs in a repository or a projection, nowhere else. The lab upload
    // runner keeps its own until its rework (streamed parsing, COPY) lands.
    {
      files: ['apps/api/src/**/*.ts', 'apps/worker/src/**/*.ts'],
      ignores: ['**/*.repository.ts', '**/*.projector.ts', '**/*.spec.ts', 'apps/worker/src/lab-uploads/lab-upload-runner.ts'],
    },
    // In the libs, whose loaders, writers and plumbing hold SQL by design, the files that
    // orchestrate (named by their role) call those instead.
    { files: ['libs/**/*.{service,controller,consumer,processor,gateway,scheduler}.ts'] },
  ].map((scope) => ({
    ...scope,
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='query']",
          message: 'SQL belongs in a *.repository.ts of this module (decision 0027); call the repository instead.',
        },
      ],
    },
  })),
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
    // jest.config.js is CommonJS, as Jest loads it.
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
