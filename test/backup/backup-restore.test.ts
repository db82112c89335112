// Backup and restore round trip on this project's database, and across kinds (PGlite ↔ PostgreSQL):
// after a restore every table — generated search vectors, bytea vectors, arrays, jsonb, floats,
// sealed secrets included — reads back row for row as it was. A non-empty database is refused
// unless --force; a backup taken while another client writes restores with every foreign key
// intact (it is one snapshot); the nightly job keeps the newest RAPPORT_BACKUP_KEEP archives.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSegments } from '../../src/analytics-runner/segments-run.js';
import { trainVectors } from '../../src/analytics-runner/similar.js';
import { trainValue } from '../../src/analytics-runner/value-train.js';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { normalizeCustomer } from '../../src/core/customers.js';
import { loadSample, readSample } from '../../src/demo/load-sample.js';
import { backupFileName, backupsIn, runNightlyBackup } from '../../src/jobs/backup.js';
import { createLogger } from '../../src/log.js';
import { secretBoxFor } from '../../src/secret-key.js';
import { restoreBackup } from '../../src/store/backup/restore-backup.js';
import { writeBackup } from '../../src/store/backup/write-backup.js';
import { createCustomer } from '../../src/store/customers-repo.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { createWebhookSource } from '../../src/store/webhook-sources-repo.js';
import { adminUrl, createTestDatabase, openTestPglite, testDbKind, type TestDatabase } from '../helpers/database.js';

let source: TestDatabase;
let ctx: AppContext;
let dir: string;
let archive: string;
const opened: Database[] = [];
const dropped: string[] = [];

/** A fresh, migrated, empty database of the given kind. */
async function emptyDatabase(kind: 'pglite' | 'postgres'): Promise<Database> {
  let database: Database;
  if (kind === 'pglite') {
    // The postgres project has no migrated PGlite template: create one from nothing there.
    database = testDbKind === 'pglite' ? await openTestPglite('memory://') : await openDatabase({ dataDir: 'memory://' });
  } else {
    const name = `rapport_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    dropped.push(name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    database = await openDatabase({ databaseUrl: url.toString() });
  }
  await database.migrate();
  opened.push(database);
  return database;
}

/**
 * Every base table of the schema: row count and a digest of its rows as text. Generated columns
 * are included unless `stored` — they are recomputed by the target, and another PostgreSQL
 * version may parse text into a tsvector a little differently.
 */
async function fingerprint(database: Database, opts: { stored?: boolean } = {}): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`set local timezone = 'UTC'`);
    const tables = (await tx.execute(sql`
      select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'agenda%' order by 1`)) as unknown as { rows: { name: string }[] };
    for (const { name } of tables.rows) {
      const t = sql.identifier(name);
      const cols = (await tx.execute(sql`
        select column_name as c from information_schema.columns
        where table_schema = current_schema() and table_name = ${name} and (${!opts.stored} or is_generated = 'NEVER') order by ordinal_position`)) as unknown as { rows: { c: string }[] };
      const row = sql.raw(`row(${cols.rows.map((r) => `x."${r.c}"`).join(', ')})::text`);
      const r = (await tx.execute(sql`select count(*)::int as n, md5(coalesce(string_agg(${row}, E'\n' order by ${row} collate "C"), '')) as h from ${t} x`)) as unknown as {
        rows: { n: number; h: string }[];
      };
      out[name] = `${r.rows[0]!.n}:${r.rows[0]!.h}`;
    }
  });
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rapport-backup-test-'));
  archive = join(dir, 'backup.tar');
  source = await createTestDatabase();
  const sample = readSample();
  ctx = await createContext(
    loadConfig({ RAPPORT_INTERNAL_DOMAINS: sample.internalDomain, RAPPORT_DEFAULT_REGION: 'CN', RAPPORT_TIMEZONE: 'Asia/Shanghai', RAPPORT_SECRET_KEY: 'backup-test-secret-key' }),
    createLogger('silent'),
    source,
  );
  await loadSample(ctx);
  await runSegments(ctx, { seed: 7 });
  await trainValue(ctx, {});
  await trainVectors(ctx, { seed: 7 });
  await createWebhookSource(source.db, { configured: [], box: secretBoxFor(ctx.config, ctx.database) }, { name: 'helpdesk', preset: 'generic', secret: 'whsec_kept_sealed_0000001' });
}, 300_000);

afterAll(async () => {
  for (const d of opened) await d.close().catch(() => {});
  await ctx?.close();
  if (dropped.length > 0) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    for (const name of dropped) await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore', { timeout: 300_000 }, () => {
  it('restores every table row for row, into the same kind of database and into the other', async () => {
    const before = await fingerprint(source);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['customers', 'communications', 'orders', 'communication_vectors', 'webhook_sources']));
    expect(Number(before.communications!.split(':')[0])).toBeGreaterThan(10);
    expect(Number(before.communication_vectors!.split(':')[0])).toBeGreaterThan(0);

    const result = await writeBackup(source, archive);
    expect(result.manifest.tables.find((t) => t.name === 'communications')).toMatchObject({ rows: Number(before.communications!.split(':')[0]) });
    // The generated search vector is recomputed on restore, not carried.
    expect(result.manifest.tables.find((t) => t.name === 'communications')!.columns.map((c) => c.name)).not.toContain('search');

    for (const kind of [testDbKind, testDbKind === 'pglite' ? 'postgres' : 'pglite'] as const) {
      const target = await emptyDatabase(kind);
      const restored = await restoreBackup(target, archive);
      expect(restored.rows).toBe(result.manifest.tables.reduce((a, t) => a + t.rows, 0));
      if (kind === testDbKind) expect(await fingerprint(target), `restored into ${kind}`).toEqual(before);
      else {
        expect(await fingerprint(target, { stored: true }), `restored into ${kind}`).toEqual(await fingerprint(source, { stored: true }));
        // The search vectors were recomputed on the target: as many messages searchable as before.
        const searchable = async (d: Database) =>
          ((await d.db.execute(sql`select count(*) filter (where search <> ''::tsvector)::int as n from communications`)) as unknown as { rows: { n: number }[] }).rows[0]!.n;
        expect(await searchable(target)).toBe(await searchable(source));
        expect(await searchable(target)).toBeGreaterThan(10);
      }
    }
  });

  it('refuses a database that holds data unless forced, and writes nothing when refused', async () => {
    const target = await emptyDatabase(testDbKind);
    await createCustomer(target.db, normalizeCustomer({ name: 'Already Here', emails: ['here@example.com'] }, { defaultRegion: 'CN' }));
    const held = await fingerprint(target);
    await expect(restoreBackup(target, archive)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/not empty .*--force/) });
    expect(await fingerprint(target)).toEqual(held);
    await restoreBackup(target, archive, { force: true });
    expect(await fingerprint(target)).toEqual(await fingerprint(source));
  });

  it('refuses a damaged archive and leaves the database empty', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const bytes = readFileSync(archive);
    const manifestEnd = bytes.indexOf(Buffer.from('"sequences"'));
    const broken = Buffer.from(bytes);
    // Flip one byte in the middle of the last table part.
    broken[bytes.length - 2048] = broken[bytes.length - 2048]! ^ 0xff;
    expect(manifestEnd).toBeGreaterThan(0);
    const file = join(dir, 'broken.tar');
    writeFileSync(file, broken);
    const target = await emptyDatabase(testDbKind);
    await expect(restoreBackup(target, file)).rejects.toThrow();
    const counts = await fingerprint(target);
    expect(Object.values(counts).every((v) => v.startsWith('0:'))).toBe(true);
  });

  it('takes one snapshot while another client writes', async () => {
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing && written < 300) {
        written += 1;
        const n = normalizeCustomer({ name: `Writer ${written}`, emails: [`writer${written}@example.com`], phones: [`+86 138 00${String(written).padStart(6, '0')}`] }, { defaultRegion: 'CN' });
        await source.db.transaction((tx) => createCustomer(tx, n));
      }
    })();
    const file = join(dir, 'during-writes.tar');
    try {
      await writeBackup(source, file);
    } finally {
      writing = false;
      await writer;
    }
    expect(written).toBeGreaterThan(0);
    const target = await emptyDatabase(testDbKind);
    await restoreBackup(target, file);
    // Each writer customer came with its two identities in one transaction: all or nothing.
    const r = (await target.db.execute(sql`
      select count(distinct c.id)::int as customers, count(i.id)::int as identities
      from customers c left join identities i on i.customer_id = c.id where c.name like 'Writer %'`)) as unknown as { rows: { customers: number; identities: number }[] };
    expect(r.rows[0]!.identities).toBe(r.rows[0]!.customers * 2);
  });

  it('runs nightly into RAPPORT_BACKUP_DIR and keeps the newest RAPPORT_BACKUP_KEEP', async () => {
    const nightly = join(dir, 'nightly');
    const days = [1, 2, 3].map((d) => new Date(Date.UTC(2026, 0, d, 3)));
    for (const now of days) {
      const { file } = await runNightlyBackup(ctx, { dir: nightly, keep: 2, now });
      expect(file).toBe(join(nightly, backupFileName(now)));
      // Written at "now" for the job's freshness check.
      utimesSync(file!, now, now);
    }
    expect(backupsIn(nightly)).toEqual([backupFileName(days[2]!), backupFileName(days[1]!)]);
    expect(readdirSync(nightly).sort()).toEqual([backupFileName(days[1]!), backupFileName(days[2]!)]);
    // A second run the same night keeps the fresh backup instead of taking another.
    const again = await runNightlyBackup(ctx, { dir: nightly, keep: 2, now: new Date(days[2]!.getTime() + 3_600_000) });
    expect(again.file).toBeNull();
    expect(existsSync(join(nightly, backupFileName(days[2]!)))).toBe(true);
  });
});
