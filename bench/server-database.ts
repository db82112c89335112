// A throwaway database on the PostgreSQL server for one benchmark run, dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../src/store/database.js';

export const benchAdminUrl = process.env.RAPPORT_BENCH_PG_URL ?? process.env.RAPPORT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ServerDatabase {
  database: Database;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database (not migrated), or null when the server is unreachable. */
export async function serverDatabase(prefix = 'rapport_bench'): Promise<ServerDatabase | null> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: benchAdminUrl });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(benchAdminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close().catch(() => {});
      const a = new pg.Client({ connectionString: benchAdminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
