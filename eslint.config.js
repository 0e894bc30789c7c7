import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers', 'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', 'test-artifacts/', 'domain/persistence/migrations/**/Migration*.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read configuration through config/index.ts only.' }],
    },
  },
  {
    // Configuration and process-level scripts are the places allowed to read the environment.
    files: ['config/**', 'scripts/**', 'test/**', '**/*.test.ts', 'bench/**', '**/vite.config.ts', 'ui-shared/src/vite/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O, no clients.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/clients/**', 'workflows/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [...nodeBuiltins.flatMap((m) => [m, `node:${m}`]), '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@mikro-orm/core', 'express'],
        // Activity types may be imported (proxyActivities<T>); their code may not.
        patterns: [{ group: ['node:*', '../activities', '../activities/*', '../api/*', '../bootstrap/*', '../integrations/*', '../documents/*'], allowTypeImports: true, message: 'Workflows orchestrate only; side effects belong in activities.' }],
      }],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'fetch', 'process'],
    },
  },
);
