import { defineConfig } from 'vitest/config';

// expect.poll in the suites with servers waits on them (and on Chromium) on a loaded machine: vitest's default
// second was too short in CI (a page's first fetch after it loaded: the 站内消息 badge still read 0).
const SERVER_POLL = { poll: { timeout: 10_000 } };

// Five suites: unit (no servers), integration (real Temporal dev server + real database: every file
// on MariaDB, the files marked `// @sqlite-too` on SQLite as well, scripts/test.sh), workflow (fake activities against the dev server, run once),
// processes (real child processes: the entry points and LibreOffice, run once), e2e (Chromium against the running platform).
export default defineConfig({
  test: {
    pool: 'forks',
    // Every core: vitest's default leaves one free (on a 2-core machine the unit files then ran in one
    // process: 86 s; in two, 52 s). The suites with a server each run their files one at a time anyway.
    maxWorkers: '100%',
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{bootstrap,domain,documents,integrations,api,workflows,activities,config,scripts,templates,ca-service}/**/*.test.ts', 'portal-ui/src/**/*.test.ts', 'admin-ui/src/**/*.test.ts', 'ui-shared/src/**/*.test.ts', 'test/deployment/**/*.test.ts'],
          testTimeout: 30_000,
          // No test mocks modules or globals: each worker process loads pdf-lib, pkijs and the domain once for all its files.
          isolate: false,
        },
      },
      {
        test: {
          name: 'integration',
          expect: SERVER_POLL,
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // One worker process for all files: the heavy modules (MikroORM, Temporal, pdf-lib) load once.
          isolate: false,
        },
      },
      {
        // Fast workflow paths: fake activities on the same dev server, durations as inputs (no time skipping offline).
        test: {
          name: 'workflow',
          expect: SERVER_POLL,
          include: ['test/workflows/**/*.test.ts'],
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // Real child processes that do not depend on the database dialect, run once: the entry points (start-up
        // checks, shutdown; their own SQLite file) and LibreOffice (the Word engine).
        test: {
          name: 'processes',
          expect: SERVER_POLL,
          include: ['test/processes/**/*.test.ts'],
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          expect: SERVER_POLL,
          globalSetup: ['test/harness/global-setup.ts'],
          setupFiles: ['test/harness/e2e-failure-capture.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // As integration: one worker process per lane, the platform's modules load once, not once per file.
          isolate: false,
        },
      },
    ],
  },
});
