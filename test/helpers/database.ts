// The same test files run on every database in the list (Kysely's pattern): RAPPORT_TEST_DB picks
// PGlite (in memory) or the real PostgreSQL server. Each test file gets a fresh, migrated database.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/store/database.js';

export type TestDbKind = 'pglite' | 'postgres';

export const testDbKind: TestDbKind = process.env.RAPPORT_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
export const adminUrl = process.env.RAPPORT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase extends Database {
  /** The connection string of this test's database (postgres only), for code that opens its own. */
  url: string | undefined;
}

let template: Blob | undefined;

/** The migrated empty PGlite database the run's global setup dumped, read once per worker. */
function pgliteTemplate(): Blob {
  template ??= new Blob([readFileSync(inject('pgliteTemplate'))]);
  return template;
}

/** Opens a PGlite data directory (or 'memory://'); a new one starts from the migrated template. */
export function openTestPglite(dataDir: string): Promise<Database> {
  return openDatabase({ dataDir, template: pgliteTemplate() });
}

/** Makes a new PGlite data directory from the template and closes it, for a `rapport` child process to open. */
export async function prepareTestDataDir(dataDir: string): Promise<void> {
  await (await openTestPglite(dataDir)).close();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDbKind === 'pglite') {
    const database = await openTestPglite('memory://');
    await database.migrate();
    return Object.assign(database, { url: undefined });
  }
  const name = `rapport_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (e) {
    // CI must fail loudly when the server is missing, never skip.
    throw new Error(`PostgreSQL is unreachable at ${adminUrl}: ${(e as Error).message}`);
  }
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 20 });
  await database.migrate();
  const close = database.close.bind(database);
  return Object.assign(database, {
    url: url.toString(),
    close: once(async () => {
      await close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    }),
  });
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
