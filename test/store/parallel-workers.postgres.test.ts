// Rapport's PostgreSQL connections start no parallel workers unless told to
// (RAPPORT_PG_PARALLEL_WORKERS), and an `options` parameter in the URL wins over the setting.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { createLogger } from '../../src/log.js';
import type { Db } from '../../src/store/database.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.close();
});

async function workers(db: Db): Promise<string> {
  const r = (await db.execute(sql`show max_parallel_workers_per_gather`)) as unknown as { rows: Record<string, string>[] };
  return r.rows[0]!.max_parallel_workers_per_gather!;
}

async function withContext(env: Record<string, string>, fn: (db: Db) => Promise<void>): Promise<void> {
  const ctx = await createContext(loadConfig({ RAPPORT_JOBS: 'off', ...env }), createLogger('silent'));
  try {
    await fn(ctx.database.db);
  } finally {
    await ctx.close();
  }
}

describe('parallel workers on our connections', () => {
  it('are off by default, set by RAPPORT_PG_PARALLEL_WORKERS, and left to the URL when it says', async () => {
    await withContext({ DATABASE_URL: database.url! }, async (db) => expect(await workers(db)).toBe('0'));
    await withContext({ DATABASE_URL: database.url!, RAPPORT_PG_PARALLEL_WORKERS: '2' }, async (db) => expect(await workers(db)).toBe('2'));
    const url = new URL(database.url!);
    url.searchParams.set('options', '-c max_parallel_workers_per_gather=3');
    await withContext({ DATABASE_URL: url.toString() }, async (db) => expect(await workers(db)).toBe('3'));
  });

  it('refuses a value that is not a small whole number', () => {
    expect(() => loadConfig({ RAPPORT_PG_PARALLEL_WORKERS: '-1' })).toThrow(/RAPPORT_PG_PARALLEL_WORKERS/);
  });
});
