// Whether the database has every migration this code knows. Drizzle records each applied migration
// in drizzle.__drizzle_migrations with its journal timestamp, and applies those newer than the
// latest recorded one; so "pending" is the journal entries newer than that.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrationsFolder, type DbOrTx } from './database.js';

export interface MigrationState {
  known: number;
  applied: number;
  /** Tags of the migrations not applied yet, oldest first. */
  pending: string[];
}

export async function migrationState(db: DbOrTx): Promise<MigrationState> {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number; tag: string }[] };
  let rows: { created_at: string | number }[] = [];
  try {
    rows = ((await db.execute(sql`select created_at from drizzle.__drizzle_migrations`)) as unknown as { rows: { created_at: string | number }[] }).rows;
  } catch {
    // No migration table: nothing applied yet.
  }
  const latest = Math.max(0, ...rows.map((r) => Number(r.created_at)));
  return { known: journal.entries.length, applied: rows.length, pending: journal.entries.filter((e) => e.when > latest).map((e) => e.tag) };
}
