// Shared setup for the import suites: a fresh database (PGlite or PostgreSQL, by project), a temp
// dir for generated files, and counts of what is stored.
import { sql } from 'drizzle-orm';
import { isRapportError, type RapportError } from '../../src/core/errors.js';
import type { Db } from '../../src/store/database.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { tempDir, type TempDir } from '../helpers/import-csv.js';

export interface ImportEnv {
  database: TestDatabase;
  db: Db;
  dir: TempDir;
  deps: { db: Db; defaultRegion: string };
  close(): Promise<void>;
}

export async function importEnv(): Promise<ImportEnv> {
  const database = await createTestDatabase();
  const dir = await tempDir();
  return {
    database,
    db: database.db,
    dir,
    deps: { db: database.db, defaultRegion: 'CN' },
    async close() {
      await database.close();
      await dir.remove();
    },
  };
}

export async function count(db: Db, table: 'customers' | 'identities' | 'companies' | 'orders'): Promise<number> {
  const result = await db.execute<{ n: number | string }>(sql`select count(*) as n from ${sql.identifier(table)}`);
  return Number((result as unknown as { rows: { n: number | string }[] }).rows[0]!.n);
}

/** The RapportError a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(p: Promise<unknown>): Promise<RapportError> {
  try {
    await p;
  } catch (e) {
    if (isRapportError(e)) return e;
    throw e;
  }
  throw new Error('expected the import to be refused');
}
