// Capture pipeline throughput (dedupe → match → thread → analyze → store) on PGlite and on the
// PostgreSQL server, against a baseline measured in the same run on the same database: a bare
// insert of the same communication rows, one transaction each, with no matching or threading.
//   node --import tsx bench/capture.bench.ts            (RAPPORT_BENCH_MESSAGES=2000)
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { createCapture } from '../src/channels/capture-service.js';
import { loadConfig } from '../src/config.js';
import { createContext, type AppContext } from '../src/context.js';
import { normalizeCustomer } from '../src/core/customers.js';
import type { InboundMessage } from '../src/core/inbound-message.js';
import { createLogger } from '../src/log.js';
import { createCustomer } from '../src/store/customers-repo.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { communications } from '../src/store/schema/index.js';
import { toMarkdown, type BenchReport, type BenchRow } from './ingest.bench.js';
import type { Bench, BenchSection } from './run.js';

const adminUrl = process.env.RAPPORT_BENCH_PG_URL ?? process.env.RAPPORT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const texts = ['我们的订单还没有发货，请尽快处理。', 'The invoice total looks wrong, can you check?', '请帮我看一下 refund 的进度', 'Thanks, that fixed it.'];

function messages(n: number, tag: string): InboundMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    channel: 'email',
    externalId: `<${tag}-${i}@bench>`,
    threadHints: i % 3 === 2 ? { inReplyTo: `<${tag}-${i - 1}@bench>`, references: [`<${tag}-${i - 2}@bench>`, `<${tag}-${i - 1}@bench>`] } : {},
    // A third known customers, a third new people at a known company, a third free-mail strangers.
    from: { email: i % 3 === 0 ? `c${i % 50}@acme.example` : i % 3 === 1 ? `new${tag}${i}@acme.example` : `x${tag}${i}@gmail.com` },
    to: [{ email: 'support@rapport.example' }],
    subject: `Re: order ${i % 40}`,
    text: texts[i % texts.length]!,
    attachments: [],
    occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
    flags: [],
  }));
}

async function timed(fn: () => Promise<number>): Promise<{ n: number; seconds: number }> {
  const t = process.hrtime.bigint();
  const n = await fn();
  return { n, seconds: Number(process.hrtime.bigint() - t) / 1e9 };
}

async function onDatabase(label: string, database: Database, n: number): Promise<BenchRow[]> {
  const ctx: AppContext = await createContext(loadConfig({ RAPPORT_INTERNAL_DOMAINS: 'rapport.example' }), createLogger('silent'), database);
  const db = database.db;
  for (let i = 0; i < 50; i++) await createCustomer(db, normalizeCustomer({ name: `C${i}`, emails: [`c${i}@acme.example`], company: 'Acme', domains: ['acme.example'] }, { defaultRegion: 'US' }));
  const { capture, captureBatch } = createCapture(ctx);
  await capture(messages(1, 'warm')[0]!);

  const bare = await timed(async () => {
    for (const m of messages(n, 'bare')) {
      await db.transaction((tx) =>
        tx.insert(communications).values({ channel: 'bench', externalId: m.externalId, direction: 'inbound', subject: m.subject, text: m.text, occurredAt: m.occurredAt }),
      );
    }
    return n;
  });
  const baseRate = bare.n / bare.seconds;
  const row = (name: string, r: { n: number; seconds: number }, note?: string): BenchRow => ({ name: `${label}: ${name}`, messagesPerSecond: r.n / r.seconds, seconds: r.seconds, ratio: r.n / r.seconds / baseRate, ...(note ? { note } : {}) });

  const one = messages(n, 'one');
  const single = await timed(async () => {
    for (const m of one) await capture(m);
    return n;
  });
  const batched = await timed(async () => {
    const all = messages(n, 'batch');
    for (let i = 0; i < all.length; i += 100) await captureBatch(all.slice(i, i + 100));
    return n;
  });
  const dupes = await timed(async () => {
    for (const m of one) await capture(m);
    return n;
  });
  const parallel = await timed(async () => {
    const m = messages(1, 'par')[0]!;
    const r = await Promise.all(Array.from({ length: 100 }, () => capture(m)));
    if (new Set(r.map((x) => x.id)).size !== 1) throw new Error('parallel deliveries got different ids');
    return 100;
  });
  await ctx.close();
  return [
    { name: `${label}: baseline — bare insert, 1 row per transaction`, messagesPerSecond: baseRate, seconds: bare.seconds, ratio: 1 },
    row('capture(), 1 message per transaction', single),
    row('captureBatch, 100 per transaction', batched),
    row('redelivery of captured messages (duplicates)', dupes),
    row('100 concurrent deliveries of one message', parallel, 'one row, same id'),
  ];
}

export async function run(): Promise<BenchReport> {
  const n = Number(process.env.RAPPORT_BENCH_MESSAGES ?? 2000);
  const rows = await onDatabase('PGlite', await openDatabase({ dataDir: 'memory://' }), n);
  const name = `rapport_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    rows.push(...(await onDatabase('PostgreSQL', await openDatabase({ databaseUrl: url.toString() }), n)));
    await admin.query(`drop database if exists ${name} with (force)`);
  } catch (e) {
    rows.push({ name: 'PostgreSQL', messagesPerSecond: 0, seconds: 0, ratio: 0, note: `not measured: ${(e as Error).message}` });
  } finally {
    await admin.end().catch(() => {});
  }
  return { title: `capture pipeline: ${n} messages per run`, command: 'node --import tsx bench/capture.bench.ts', baseline: 'bare insert of the same rows on the same database', rows };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log(toMarkdown(await run()));
}

/** For `npm run bench` (bench/run.ts): the same measurement as a BenchSection. */
export const bench: Bench = {
  name: 'capture',
  async run(): Promise<BenchSection> {
    const r = await run();
    return {
      title: r.title,
      about: 'The capture pipeline (dedupe, match, thread, analyze, store) on generated messages (`RAPPORT_BENCH_MESSAGES`, default 2,000), on PGlite in memory and on a fresh PostgreSQL database; each database has its own baseline row.',
      baseline: r.baseline,
      columns: ['messages/s', 'seconds'],
      rows: r.rows.map((row) => ({
        name: row.name,
        values: { 'messages/s': row.messagesPerSecond, seconds: row.seconds },
        ratio: row.name.includes('baseline') ? null : row.ratio,
        ...(row.note ? { note: row.note } : {}),
      })),
    };
  },
};
