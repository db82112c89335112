// The socket PGlite is shared on (rapport serve, the scheduler): a client's transaction is its
// own — the process's queries wait for it, and its statements never land in the process's
// transaction — and a client that vanishes mid-transaction is rolled back. Runs on its own
// in-memory PGlite, whatever database the suite is on.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePglite, type PgliteServer } from '../../../src/store/pglite-server.js';

let db: PGlite;
let server: PgliteServer;
let pool: pg.Pool;
let dir: string;
const ids = async () => (await db.query<{ id: number }>('select id from t order by id')).rows.map((r) => r.id);

beforeAll(async () => {
  db = await PGlite.create('memory://');
  await db.exec('create table t (id int primary key)');
  dir = mkdtempSync(join(tmpdir(), 'rapport-socket-'));
  server = await servePglite(db, join(dir, 'run'));
  pool = new pg.Pool({ host: server.socketDir, port: 5432, user: 'postgres', database: 'postgres', max: 4 });
});
afterAll(async () => {
  await pool?.end();
  await server?.close();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PGlite over a Unix socket', { timeout: 60_000 }, () => {
  it('is reachable by this user only', () => {
    expect(statSync(join(dir, 'run')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'run', '.s.PGSQL.5432')).mode & 0o777).toBe(0o600);
  });

  it("keeps the process's own statements out of a client's transaction", async () => {
    await db.exec('delete from t');
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('insert into t values (1)');
      let ownDone = false;
      const own = db.query('insert into t values (2)').then(() => (ownDone = true));
      await new Promise((r) => setTimeout(r, 200));
      expect(ownDone).toBe(false);
      await client.query('rollback');
      await own;
    } finally {
      client.release();
    }
    expect(await ids()).toEqual([2]);
  });

  it("keeps a client's statements out of the process's transaction", async () => {
    await db.exec('delete from t');
    const aborted = db
      .transaction(async (tx) => {
        await tx.query('insert into t values (3)');
        await new Promise((r) => setTimeout(r, 200));
        throw new Error('abort');
      })
      .catch((e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 20));
    const inserted = pool.query('insert into t values (4)');
    expect(await aborted).toBe('abort');
    expect((await inserted).rowCount).toBe(1);
    expect(await ids()).toEqual([4]);
  });

  it('serves many clients at once with parameters', async () => {
    await db.exec('delete from t');
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => pool.query('insert into t values ($1)', [100 + i])),
      ...Array.from({ length: 20 }, () => db.query('select count(*) from t')),
    ]);
    expect((await pool.query<{ n: number }>('select count(*)::int as n from t')).rows[0]!.n).toBe(40);
  });

  it('rolls back the transaction of a client that vanished', async () => {
    const client = new pg.Client({ host: server.socketDir, port: 5432, user: 'postgres', database: 'postgres' });
    client.on('error', () => {});
    await client.connect();
    await client.query('begin');
    await client.query('insert into t values (999)');
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    // The process's next statement waits for the rollback, then sees no row.
    const deadline = Date.now() + 10_000;
    while (db.isInTransaction() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect((await db.query<{ n: number }>('select count(*)::int as n from t where id = 999')).rows[0]!.n).toBe(0);
    expect(db.isInTransaction()).toBe(false);
  });
});
