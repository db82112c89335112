// Agenda talks to PostgreSQL through `pg`. On a server that is the app's pool; on the embedded
// default, PGlite is exposed on a private Unix socket (pglite-socket) and a small pool connects to it.
// Measured here: the socket serializes connections and does not deliver LISTEN/NOTIFY, so
// Agenda polls (processEvery) instead of waiting for notifications; transactions stay short.
// A CLI command reaching PGlite through `rapport serve` has a pool already, and no notifications.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Database } from '../store/database.js';
import { servePglite } from '../store/pglite-server.js';

export interface JobConnection {
  pool: pg.Pool;
  /** True when notifications reach us (a real server); false on PGlite (poll instead). */
  notifications: boolean;
  close(): Promise<void>;
}

export async function openJobConnection(database: Database): Promise<JobConnection> {
  if (database.pool) {
    return { pool: database.pool, notifications: database.kind === 'postgres', close: async () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'rapport-jobs-'));
  const server = await servePglite(database.pglite!, join(dir, 'socket'), { maxConnections: 16 });
  const pool = new pg.Pool({ host: server.socketDir, port: 5432, user: 'postgres', database: 'postgres', max: 4 });
  pool.on('error', () => {});
  return {
    pool,
    notifications: false,
    async close() {
      await pool.end();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
