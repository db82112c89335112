// One `pg` client on whichever database this is: from the pool on a PostgreSQL server (or on
// PGlite shared by `rapport serve`), else over a private socket to the in-process PGlite. Backup
// and restore speak the wire protocol (COPY) the same way on both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Database } from './database.js';
import { servePglite } from './pglite-server.js';

export async function withPgClient<T>(database: Database, fn: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  if (database.pool) {
    const client = await database.pool.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'rapport-pg-'));
  const server = await servePglite(database.pglite!, join(dir, 'run'), { maxConnections: 2 });
  const client = new pg.Client({ host: server.socketDir, port: 5432, user: 'postgres', database: 'postgres' });
  client.on('error', () => {});
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
