import { defineConfig } from 'vitest/config';

// Pure tests run once; everything that touches a database runs on PGlite and on PostgreSQL, except
// what only a PostgreSQL server has (a streaming replica): *.postgres.test.ts runs in that project;
// and what only the embedded database has (creating its data directory): *.pglite.test.ts.
const dbTests = ['test/**/*.test.ts'];
const pureTests = ['test/unit/**/*.test.ts', 'test/fuzz/pure/**/*.test.ts'];
const postgresOnlyTests = ['test/**/*.postgres.test.ts'];
const pgliteOnlyTests = ['test/**/*.pglite.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most tests wait on I/O (databases, dovecot, child processes), so more workers than cores pay
    // off; vitest's default here would be one (cores − 1) and run the suite serially.
    maxWorkers: Number(process.env.RAPPORT_TEST_WORKERS ?? 4),
    projects: [
      { extends: true, test: { name: 'unit', include: pureTests } },
      { extends: true, test: { name: 'pglite', include: dbTests, exclude: [...pureTests, ...postgresOnlyTests], env: { RAPPORT_TEST_DB: 'pglite' }, globalSetup: ['test/global-setup.ts'] } },
      { extends: true, test: { name: 'postgres', include: dbTests, exclude: [...pureTests, ...pgliteOnlyTests], env: { RAPPORT_TEST_DB: 'postgres' } } },
    ],
  },
});
