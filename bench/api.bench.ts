// HTTP API latency and throughput through app.inject (no sockets) on PGlite and on the PostgreSQL
// server, each against a baseline measured in the same run on the same app: GET /readyz, which
// does one `select 1` and no auth. Ratios say what auth + the real query cost on top of that.
//   npm run bench -- api      (RAPPORT_BENCH_CUSTOMERS=20000, RAPPORT_BENCH_COMMUNICATIONS=50000)
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { searchTextOf } from '../src/analytics/segment.js';
import { loadConfig } from '../src/config.js';
import { createContext, type AppContext } from '../src/context.js';
import { build, type App } from '../src/http/app.js';
import { createLogger } from '../src/log.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { communications, companies, customers, identities } from '../src/store/schema/index.js';
import { createToken } from '../src/store/tokens-repo.js';
import type { Bench, BenchSection } from './run.js';

const adminUrl = process.env.RAPPORT_BENCH_PG_URL ?? process.env.RAPPORT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CUSTOMERS = Number(process.env.RAPPORT_BENCH_CUSTOMERS ?? 20_000);
const COMMUNICATIONS = Number(process.env.RAPPORT_BENCH_COMMUNICATIONS ?? 50_000);
const texts = [
  '我们的订单还没有发货，请尽快处理退款。',
  'The invoice total looks wrong, can you check the refund?',
  '请帮我看一下优惠券为什么不能用',
  'Thanks, the delivery arrived on time.',
  '客服一直没有回复，我很失望',
];

export interface ApiBenchRow {
  name: string;
  requestsPerSecond: number;
  p50ms: number;
  ratio: number;
}

async function seed(database: Database): Promise<{ customerId: string }> {
  const db = database.db;
  const cos = await db
    .insert(companies)
    .values(Array.from({ length: 200 }, (_, i) => ({ name: `Company ${i}`, domains: [`co${i}.example`] })))
    .returning({ id: companies.id });
  const ids: string[] = [];
  for (let start = 0; start < CUSTOMERS; start += 1000) {
    const n = Math.min(1000, CUSTOMERS - start);
    const rows = await db
      .insert(customers)
      .values(
        Array.from({ length: n }, (_, k) => {
          const i = start + k;
          return { name: i % 7 === 0 ? `客户 ${i}` : `Customer ${i}`, companyId: cos[i % cos.length]!.id, owner: `owner${i % 10}`, tags: i % 20 === 0 ? ['vip'] : ['standard'] };
        }),
      )
      .returning({ id: customers.id });
    ids.push(...rows.map((r) => r.id));
    await db.insert(identities).values(rows.map((r, k) => ({ customerId: r.id, kind: 'email' as const, value: `c${start + k}@co${(start + k) % 200}.example`, display: `c${start + k}@co${(start + k) % 200}.example` })));
  }
  for (let start = 0; start < COMMUNICATIONS; start += 1000) {
    const n = Math.min(1000, COMMUNICATIONS - start);
    await db.insert(communications).values(
      Array.from({ length: n }, (_, k) => {
        const i = start + k;
        const text = `${texts[i % texts.length]} #${i}`;
        return {
          channel: 'email',
          direction: 'inbound' as const,
          externalId: `bench-${i}`,
          customerId: ids[i % 500]!,
          subject: `order ${i % 300}`,
          text,
          occurredAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000),
          searchText: searchTextOf(`order ${i % 300}`, text),
        };
      }),
    );
  }
  return { customerId: ids[0]! };
}

async function measure(app: App, url: string, token: string | null, seconds = 3): Promise<{ rps: number; p50: number }> {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  for (let i = 0; i < 20; i++) await app.inject({ method: 'GET', url, headers }); // warm up
  const times: number[] = [];
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  while (performance.now() < end) {
    const t = performance.now();
    const res = await app.inject({ method: 'GET', url, headers });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { rps: times.length / ((performance.now() - t0) / 1000), p50: times[Math.floor(times.length / 2)]! };
}

async function onDatabase(label: string, database: Database): Promise<ApiBenchRow[]> {
  const ctx = await createContext(loadConfig({ RAPPORT_JOBS: 'off' }), createLogger('silent'), database);
  try {
    return await measureAll(label, ctx);
  } finally {
    await ctx.close();
  }
}

async function measureAll(label: string, ctx: AppContext): Promise<ApiBenchRow[]> {
  const database = ctx.database;
  const { customerId } = await seed(database);
  const token = (await createToken(database.db, { name: 'bench', scope: 'read' })).token;
  const app = await build({ ctx, logRequests: false });
  try {
    const deep = async () => {
      // A cursor ~100 pages in: keyset pagination should cost what the first page costs.
      let url = '/api/v1/customers?limit=100';
      for (let i = 0; i < 100; i++) {
        const body = (await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })).json();
        if (!body.next_cursor) break;
        url = `/api/v1/customers?limit=100&cursor=${body.next_cursor}`;
      }
      return url.replace('limit=100', 'limit=50');
    };
    const base = await measure(app, '/readyz', null);
    const cases: [string, string][] = [
      ['GET /customers (first page, 50)', '/api/v1/customers'],
      ['GET /customers, page ~200 by cursor', await deep()],
      ['GET /customers?tag=vip', '/api/v1/customers?tag=vip'],
      ['GET /customers?q=c1234 (text filter)', '/api/v1/customers?q=c1234'],
      ['GET /customers/:id', `/api/v1/customers/${customerId}`],
      ['GET /customers/:id/communications', `/api/v1/customers/${customerId}/communications`],
      ['GET /communications/search?q=退款', `/api/v1/communications/search?q=${encodeURIComponent('退款')}`],
      ['GET /communications/search?q=refunds', '/api/v1/communications/search?q=refunds'],
    ];
    const rows: ApiBenchRow[] = [{ name: `${label}: baseline — GET /readyz (select 1, no auth)`, requestsPerSecond: base.rps, p50ms: base.p50, ratio: 1 }];
    for (const [name, url] of cases) {
      const m = await measure(app, url, token);
      rows.push({ name: `${label}: ${name}`, requestsPerSecond: m.rps, p50ms: m.p50, ratio: m.rps / base.rps });
    }
    return rows;
  } finally {
    await app.close();
  }
}

async function onPostgres(): Promise<ApiBenchRow[]> {
  const name = `rapport_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await onDatabase('PostgreSQL', await openDatabase({ databaseUrl: url.toString() }));
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end().catch(() => {});
  }
}

export const bench: Bench = {
  name: 'api',
  async run(): Promise<BenchSection> {
    const rows = [...(await onDatabase('PGlite', await openDatabase({ dataDir: 'memory://' }))), ...(await onPostgres())];
    return {
      title: 'HTTP API reads',
      about: `${CUSTOMERS} customers (\`RAPPORT_BENCH_CUSTOMERS\`) and ${COMMUNICATIONS} communications (\`RAPPORT_BENCH_COMMUNICATIONS\`), sequential GETs with a read token through \`app.inject\` (no sockets), 3 s per request kind, on PGlite and on the PostgreSQL server.`,
      baseline: 'GET /readyz on the same app and database (one `select 1`, no auth)',
      columns: ['requests/s', 'p50 ms'],
      rows: rows.map((r) => ({ name: r.name, values: { 'requests/s': r.requestsPerSecond, 'p50 ms': r.p50ms }, ratio: r.ratio === 1 && r.name.includes('baseline') ? null : r.ratio })),
    };
  },
};

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const section = await bench.run();
  for (const r of section.rows) console.log(`${r.name}\t${JSON.stringify(r.values)}\t${r.ratio?.toFixed(3) ?? 'baseline'}`);
}
