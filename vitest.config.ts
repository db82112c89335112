import { defineConfig } from 'vitest/config';

// Pure tests run once; everything that touches a database runs on PGlite and on PostgreSQL.
const dbTests = ['test/**/*.test.ts'];
const pureTests = ['test/unit/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: pureTests } },
      { extends: true, test: { name: 'pglite', include: dbTests, exclude: pureTests, env: { RAPPORT_TEST_DB: 'pglite' } } },
      { extends: true, test: { name: 'postgres', include: dbTests, exclude: pureTests, env: { RAPPORT_TEST_DB: 'postgres' } } },
    ],
  },
});
