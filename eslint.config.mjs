import { builtinModules } from 'node:module';
import js from '@eslint/js';
import importPlugin from 'eslint-plugin-import';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Workflow code runs in Temporal's deterministic sandbox: no I/O, no Node, no Nest, no ORM.
const sandboxForbidden = [
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', '.temporal/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  importPlugin.flatConfigs.recommended,
  importPlugin.flatConfigs.typescript,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        // Lets consistent-type-imports keep value imports that Nest needs for decorator metadata.
        emitDecoratorMetadata: true,
        experimentalDecorators: true,
      },
    },
    settings: {
      'import/resolver': { typescript: { project: './tsconfig.json' }, node: true },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import/no-cycle': ['error', { maxDepth: 10 }],
      'import/no-unresolved': 'error',
      'import/namespace': 'off',
      'import/default': 'off',
      'import/no-named-as-default-member': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // The console runs in the browser, typed by its own tsconfig; its bundler resolves its imports.
    files: ['apps/console/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    settings: { 'import/resolver': { typescript: { project: './apps/console/tsconfig.json' }, node: true } },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: sandboxForbidden.map((name) => ({
            name,
            message: 'Workflow code runs in the Temporal sandbox: Node built-ins are not allowed.',
          })),
          patterns: [
            { group: ['typeorm', 'typeorm/*', 'pg', 'typeorm-pglite'], message: 'Workflows must not touch the database; use an activity.' },
            { group: ['@nestjs/*'], message: 'Workflows must not depend on Nest; they run in the Temporal sandbox.' },
            { group: ['@temporalio/worker', '@temporalio/client', '@temporalio/activity', '@temporalio/testing'], message: 'Workflows may import only @temporalio/workflow and @temporalio/common.' },
            { group: ['@xuncha/persistence', '@xuncha/runtime', '@xuncha/config', '@xuncha/calendar-data', '**/activities/**', '**/apps/**'], message: 'Workflows import only contracts and pure libs.' },
            { group: ['@xuncha/bpmn', '**/libs/bpmn/src/definition/*', '!**/libs/bpmn/src/definition/graph'], message: 'Workflows use the pure engine (@xuncha/bpmn-engine); parsing and compiling happen outside.' },
          ],
        },
      ],
    },
  },
);
