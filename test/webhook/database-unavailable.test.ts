// The database goes away during webhook deliveries: the sender gets 503 with Retry-After (so it
// retries and nothing is lost), nothing half-written stays behind, and the retry succeeds.
//
// The outage is real on both databases, nothing is mocked:
// - PostgreSQL: the app's pool connects through a TCP proxy (test/helpers/tcp-proxy.ts) in front
//   of 127.0.0.1:5432. Closing the proxy cuts every pooled connection and refuses new ones, exactly
//   what a server restart or a network cut looks like to node-postgres; reopening it lets the same
//   running app reconnect, with no restart.
// - PGlite runs inside the process, so there is no wire to cut: its real failure is the embedded
//   instance being closed (a shutdown under way, or a crashed WASM instance), after which every
//   query fails with "PGlite is closed". It recovers only by opening the data directory again, as a
//   restarted `rapport serve` does: the retry goes to a new app on the same on-disk data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeaderValue } from '../../adapters/webhook/signature.js';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { channelsOf } from '../../src/channels/index.js';
import { build, type App } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { secretBoxFor } from '../../src/secret-key.js';
import { createWebhookSource } from '../../src/store/webhook-sources-repo.js';
import { createTestDatabase, openTestPglite, testDbKind, type TestDatabase } from '../helpers/database.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { countRows, signedPost } from './signed-post.js';

/** How long a connection may stay checked out after the request that used it was answered. */
const releaseDeadline = { timeout: 10_000, interval: 25 };

const configSecret = 'whsec_env_source_secret_01';
const dbSecret = 'whsec_db_source_secret_001';
const config = () => loadConfig({ RAPPORT_WEBHOOK_SOURCES: `from-env:generic:${configSecret}`, RAPPORT_SECRET_KEY: 'test-key-for-sealed-secrets' });

/** The app under test plus a way to take its database away and give it back. */
interface Outage {
  app: App;
  /** A connection that is not affected by the outage, to count rows. */
  observer: Database;
  cut(): Promise<void>;
  /** Brings the database back; returns the app to retry against. */
  restore(): Promise<App>;
  /** Connections taken from the pool and never given back (PostgreSQL; 0 for PGlite). */
  heldConnections(): number;
  /** Lets the capture worker take what the inbox accepted. */
  captured(): Promise<void>;
  close(): Promise<void>;
}

async function postgresOutage(): Promise<Outage> {
  const testDb: TestDatabase = await createTestDatabase();
  const proxy: TcpProxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(testDb.url!).port || 5432) });
  const viaProxy = await openDatabase({ databaseUrl: proxy.via(testDb.url!), poolSize: 5 });
  const ctx = await createContext(config(), createLogger('silent'), viaProxy);
  const app = await build({ ctx, logRequests: false });
  await createWebhookSource(ctx.database.db, { configured: [], box: secretBoxFor(ctx.config, ctx.database) }, { name: 'from-db', preset: 'generic', secret: dbSecret });
  return {
    app,
    observer: testDb,
    cut: () => proxy.close(),
    restore: async () => {
      await proxy.open();
      return app;
    },
    heldConnections: () => viaProxy.pool!.totalCount - viaProxy.pool!.idleCount,
    captured: async () => void (await channelsOf(ctx).worker.drain()),
    close: async () => {
      await app.close();
      await ctx.close();
      await proxy.stop();
      await testDb.close();
    },
  };
}

async function pgliteOutage(): Promise<Outage> {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-outage-'));
  const open = async () => {
    const ctx: AppContext = await createContext(config(), createLogger('silent'), await openTestPglite(dir));
    return { ctx, app: await build({ ctx, logRequests: false }) };
  };
  let current = await open();
  await createWebhookSource(current.ctx.database.db, { configured: [], box: secretBoxFor(current.ctx.config, current.ctx.database) }, { name: 'from-db', preset: 'generic', secret: dbSecret });
  const outage: Outage = {
    app: current.app,
    observer: current.ctx.database,
    cut: () => current.ctx.database.pglite!.close(),
    restore: async () => {
      await current.app.close();
      current = await open();
      outage.observer = current.ctx.database;
      outage.app = current.app;
      return current.app;
    },
    heldConnections: () => 0,
    captured: async () => void (await channelsOf(current.ctx).worker.drain()),
    close: async () => {
      await current.app.close();
      await current.ctx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return outage;
}

let outage: Outage;

beforeAll(async () => {
  outage = testDbKind === 'postgres' ? await postgresOutage() : await pgliteOutage();
});

afterAll(async () => {
  await outage?.close();
});

describe(`webhook while the database is unavailable (${testDbKind})`, () => {
  it('answers 503 with Retry-After, keeps nothing half-written, and accepts the retry', async () => {
    const warmup = await signedPost(outage.app, { source: 'from-env', secret: configSecret, body: JSON.stringify({ id: 'before', from: { email: 'a@kunlun.cn' }, text: 'ok' }) });
    expect(warmup.statusCode).toBe(202);

    const deliveries = [
      { source: 'from-env', secret: configSecret, id: 'during-1' },
      { source: 'from-db', secret: dbSecret, id: 'during-2' },
    ].map((d) => {
      const body = JSON.stringify({ id: d.id, from: { email: 'li@kunlun.cn' }, subject: '发货', text: '货还没到' });
      // The sender retries the very same request, signature included (still inside the 5-minute window).
      return { ...d, body, signature: signatureHeaderValue(d.secret, body) };
    });

    await outage.cut();
    for (const d of deliveries) {
      const res = await signedPost(outage.app, d);
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect((res.json() as { error: { code: string } }).error.code).toBe('unavailable');
    }

    const app = await outage.restore();
    const during = sql`channel = 'webhook' and external_id like '%:during-%'`;
    await outage.captured();
    expect(await countRows(outage.observer.db, 'communications', during)).toBe(0);
    for (const d of deliveries) {
      const res = await signedPost(app, d);
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ status: 'accepted' });
    }
    await outage.captured();
    expect(await countRows(outage.observer.db, 'communications', during)).toBe(2);
    expect(await countRows(outage.observer.db, 'communications', sql`external_id = 'from-env:before'`)).toBe(1);
    await expect.poll(() => outage.heldConnections(), releaseDeadline).toBe(0);
  });

  // A cut right after a success leaves stale idle connections that the next request picks up; each
  // of those used to leak from the pool (drizzle never releases a client whose BEGIN failed), so
  // after as many outages as the pool holds, nothing recovered. Cut more often than that.
  it('recovers after more outages than the pool has connections, without leaking any', async () => {
    let app = outage.app;
    for (let round = 0; round < 7; round++) {
      const body = (id: string) => JSON.stringify({ id, from: { email: 'li@kunlun.cn' }, text: `round ${round}` });
      expect((await signedPost(app, { source: 'from-env', secret: configSecret, body: body(`ok-${round}`) })).statusCode).toBe(202);
      await outage.cut();
      const failed = await signedPost(app, { source: 'from-env', secret: configSecret, body: body(`retry-${round}`) });
      expect(failed.statusCode).toBe(503);
      app = await outage.restore();
      expect((await signedPost(app, { source: 'from-env', secret: configSecret, body: body(`retry-${round}`) })).json()).toMatchObject({ status: 'accepted' });
      // Accepted means in the inbox: capturing it may still hold a connection for a moment. A
      // leaked connection never comes back, so it fails this wait.
      await expect.poll(() => outage.heldConnections(), releaseDeadline).toBe(0);
    }
    await outage.captured();
    expect(await countRows(outage.observer.db, 'communications', sql`external_id like 'from-env:retry-%'`)).toBe(7);
  });
});
