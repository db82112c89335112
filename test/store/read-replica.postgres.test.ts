// Reads on a real streaming replica (DATABASE_READ_URL): the test makes its own primary and replica
// (test/helpers/pg-replica.ts), so it runs in the postgres project only (vitest.config.ts), once.
// Whether a read was served by the replica is asked of the server that served it: a standby says
// pg_is_in_recovery() = true, and with replay paused it does not have the rows written since.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listConsoleCustomers } from '../../src/store/console-customers-query.js';
import { lookupCustomers } from '../../src/store/customer-lookup.js';
import { createCustomer, getCustomer } from '../../src/store/customers-repo.js';
import { openDatabase, type Database, type Db } from '../../src/store/database.js';
import type { ReadRouteChange } from '../../src/store/read-replica.js';
import { runCli } from '../cli/cli-harness.js';
import { startPrimaryAndReplica, type PrimaryAndReplica } from '../helpers/pg-replica.js';

let servers: PrimaryAndReplica;
let primary: Database;
const opened: Database[] = [];

beforeAll(async () => {
  servers = await startPrimaryAndReplica();
  primary = await openDatabase({ databaseUrl: servers.primaryUrl, poolSize: 4 });
  await primary.migrate();
}, 120_000);

afterAll(async () => {
  for (const d of opened) await d.close();
  await primary?.close();
  await servers?.close();
});

const servedByStandby = async (db: Db) => ((await db.execute(sql`select pg_is_in_recovery() as standby`)) as unknown as { rows: { standby: boolean }[] }).rows[0]!.standby;
const names = async (db: Db, q: string) => (await lookupCustomers(db, q, { limit: 10, defaultRegion: 'US' })).matches.map((m) => m.name);
const customer = (name: string, email: string) =>
  createCustomer(primary.db, { name, identities: [{ kind: 'email', value: email, display: email }], company: null, tags: [], owner: null, attributes: {}, warnings: [] });
const waitLong = { timeout: 25_000, interval: 100 };

async function withReplica(maxLagMs: number): Promise<{ database: Database; changes: ReadRouteChange[] }> {
  const changes: ReadRouteChange[] = [];
  const database = await openDatabase({
    databaseUrl: servers.primaryUrl,
    poolSize: 4,
    readReplica: { url: servers.replicaUrl, maxLagMs, checkEveryMs: 200, onChange: (c) => changes.push(c) },
  });
  opened.push(database);
  // Settled on the replica before the test starts: what happens next is the test's doing.
  await vi.waitFor(async () => expect(await servedByStandby(database.readDb)).toBe(true), waitLong);
  changes.length = 0;
  return { database, changes };
}

describe('reads on a streaming replica', () => {
  it('sends lookups and lists to the replica, while what must see its own write reads the primary', async () => {
    const { database, changes } = await withReplica(60_000);
    const adaId = await customer('Ada Replica', 'ada@replica.test');
    await vi.waitFor(async () => expect(await names(database.readDb, 'Ada Replica')).toEqual(['Ada Replica']), waitLong);
    expect(await servedByStandby(database.readDb)).toBe(true);
    expect(await servedByStandby(database.db)).toBe(false);
    expect(database.readsFrom()).toBe('replica');
    // A transaction on the read handle checks a client out of the replica too.
    expect(await database.readDb.transaction((tx) => servedByStandby(tx as unknown as Db))).toBe(true);
    // A query the replica refuses for its own sake is the caller's error, not a reason to leave it.
    await expect(database.readDb.execute(sql`select 1 / 0`)).rejects.toThrow();
    expect(database.readsFrom()).toBe('replica');

    await servers.onReplica('select pg_wal_replay_pause()');
    try {
      const graceId = await customer('Grace Paused', 'grace@replica.test');
      // Within the bound the replica still serves reads: it does not have Grace yet…
      expect(await names(database.readDb, 'Grace Paused')).toEqual([]);
      const listed = await listConsoleCustomers(database.readDb, { q: 'replica' }, { limit: 10 });
      expect(listed.data.map((r) => r.id)).toEqual([adaId]);
      // …while reads on the primary, as after a write in the same request, do.
      expect((await getCustomer(database.db, graceId))?.name).toBe('Grace Paused');
      expect(await names(database.db, 'Grace Paused')).toEqual(['Grace Paused']);

      // The CLI wires it from the environment: `rapport lookup` reads the replica, `customers get` the primary.
      const env = { DATABASE_URL: servers.primaryUrl, DATABASE_READ_URL: servers.replicaUrl, RAPPORT_READ_MAX_LAG_MS: '60000' };
      const looked = await runCli(['lookup', 'grace@replica.test'], env);
      expect(looked.code, looked.stderr).toBe(1);
      expect(looked.stdout).toMatch(/no customer matches/);
      const got = await runCli(['--json', 'customers', 'get', graceId], env);
      expect(got.code, got.stderr).toBe(0);
      expect(JSON.parse(got.stdout).name).toBe('Grace Paused');
    } finally {
      await servers.onReplica('select pg_wal_replay_resume()');
    }
    await vi.waitFor(async () => expect(await names(database.readDb, 'Grace Paused')).toEqual(['Grace Paused']), waitLong);
    expect(changes).toEqual([]);
  }, 90_000);

  it('reads the primary while the replica lags beyond the bound, with one warning, and returns when it catches up', async () => {
    const { database, changes } = await withReplica(1_000);
    await customer('Lin Before', 'lin@lag.test');
    await vi.waitFor(async () => expect(await names(database.readDb, 'Lin Before')).toEqual(['Lin Before']), waitLong);
    expect(database.readsFrom()).toBe('replica');

    await servers.onReplica('select pg_wal_replay_pause()');
    try {
      await customer('Lin Lagging', 'lin.lagging@lag.test');
      // Once the replica is more than a second behind, reads see Lin: the primary serves them.
      await vi.waitFor(async () => {
        expect(await names(database.readDb, 'Lin Lagging')).toEqual(['Lin Lagging']);
        expect(await servedByStandby(database.readDb)).toBe(false);
      }, waitLong);
      expect(database.readsFrom()).toBe('primary');
      for (let i = 0; i < 5; i++) await names(database.readDb, 'Lin');
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ to: 'primary', reason: 'lag' });
      expect(changes[0]!.lagMs).toBeGreaterThan(1_000);
    } finally {
      await servers.onReplica('select pg_wal_replay_resume()');
    }
    await vi.waitFor(async () => expect(await servedByStandby(database.readDb)).toBe(true), waitLong);
    expect(database.readsFrom()).toBe('replica');
    expect(changes.map((c) => c.to)).toEqual(['primary', 'replica']);
  }, 90_000);

  it('reads the primary without an error when the replica stops, and the replica again once it is back', async () => {
    const { database, changes } = await withReplica(5_000);
    await customer('Mo Outage', 'mo@outage.test');
    await vi.waitFor(async () => expect(await names(database.readDb, 'Mo Outage')).toEqual(['Mo Outage']), waitLong);
    expect(await servedByStandby(database.readDb)).toBe(true);

    await servers.stopReplica();
    try {
      // The very next reads answer, from the primary; the outage is told once.
      expect(await names(database.readDb, 'Mo Outage')).toEqual(['Mo Outage']);
      expect(await servedByStandby(database.readDb)).toBe(false);
      const listed = await listConsoleCustomers(database.readDb, { q: 'outage' }, { limit: 10 });
      expect(listed.data).toHaveLength(1);
      for (let i = 0; i < 5; i++) expect(await names(database.readDb, 'Mo Outage')).toEqual(['Mo Outage']);
      expect(database.readsFrom()).toBe('primary');
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ to: 'primary', reason: 'unreachable' });
      expect(JSON.stringify(changes)).not.toMatch(/127\.0\.0\.1|postgres:/);

      // `rapport status` says where reads go and why it needs attention (exit 1); the warning names no password.
      const status = await runCli(['--json', 'status'], { DATABASE_URL: servers.primaryUrl, DATABASE_READ_URL: servers.replicaUrl.replace('postgres@', 'postgres:hush@') });
      expect(status.code, status.stderr).toBe(1);
      const json = JSON.parse(status.stdout) as { database: { reads: string }; attention: string[] };
      expect(json.database.reads).toBe('primary');
      expect(json.attention).toEqual(expect.arrayContaining([expect.stringMatching(/read replica \(DATABASE_READ_URL\).*cannot be reached: reads go to the primary/)]));
      expect(status.stderr).toMatch(/read replica cannot be reached/);
      expect(status.stderr).not.toContain('hush');
    } finally {
      await servers.startReplica();
    }
    await vi.waitFor(async () => expect(await servedByStandby(database.readDb)).toBe(true), waitLong);
    expect(changes.map((c) => c.to)).toEqual(['primary', 'replica']);
  }, 90_000);

  it('is refused without DATABASE_URL: the CLI exits 2 and names the setting', async () => {
    const r = await runCli(['--json', 'status'], { DATABASE_READ_URL: servers.replicaUrl });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr.trim().split('\n').pop()!).error).toMatchObject({ code: 'config_invalid', message: expect.stringMatching(/DATABASE_READ_URL: a read replica needs DATABASE_URL/) });
  }, 60_000);
});
