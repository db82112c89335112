// Agenda talks to PostgreSQL through `pg`. On a server that is the app's pool; on the embedded
// default, PGlite is exposed on a private Unix socket (pglite-socket) and a small pool connects to it.
// Measured here: pglite-socket serializes connections and does not deliver LISTEN/NOTIFY, so
// Agenda polls (processEvery) instead of waiting for notifications; transactions stay short.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import type { Database } from '../store/database.js';

export interface JobConnection {
  pool: pg.Pool;
  /** True when notifications reach us (a real server); false on PGlite (poll instead). */
  notifications: boolean;
  close(): Promise<void>;
}

export async function openJobConnection(database: Database): Promise<JobConnection> {
  if (database.pool) {
    return { pool: database.pool, notifications: true, close: async () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'rapport-jobs-'));
  const server = new PGLiteSocketServer({ db: database.pglite!, path: join(dir, '.s.PGSQL.5432'), maxConnections: 16 });
  await server.start();
  const pool = new pg.Pool({ host: dir, port: 5432, user: 'postgres', database: 'postgres', max: 4 });
  pool.on('error', () => {});
  return {
    pool,
    notifications: false,
    async close() {
      await pool.end();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
