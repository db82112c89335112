// `/crm lookup` latency: a really signed slash command over loopback HTTP into Rapport (Fastify →
// receiver → Bolt → lookup + card queries → Block Kit), against the same lookup and card queries
// run bare on the database in the same run. Generated data: 10,000 customers with emails, phones,
// orders and 100,000 communications; on embedded PGlite and on the PostgreSQL server. With Redis
// (RAPPORT_BENCH_REDIS_URL, default the local one) also the same lookups repeated against a second
// instance whose customer cards are cached in Redis (REDIS_URL).
//   node --import tsx bench/slack.bench.ts
//   (RAPPORT_BENCH_CUSTOMERS=10000 RAPPORT_BENCH_COMMUNICATIONS=100000 RAPPORT_BENCH_LOOKUPS=300)
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { build } from '../src/http/app.js';
import { createLogger } from '../src/log.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { SlackStandIn } from '../test/helpers/slack-stand-in.js';
import { generateCrmData } from './generate-crm-data.js';
import { bareLookup, lookupQueries, lookupSigningSecret as secret, measureLatency, signedLookup as signedLookupAt } from './lookups.js';
import type { Bench, BenchSection } from './run.js';
import { benchAdminUrl, serverDatabase } from './server-database.js';

export interface LatencyRow {
  name: string;
  medianMs: number;
  p99Ms: number;
  /** Median relative to the bare queries of the same database in the same run. */
  ratio: number;
  note?: string;
}

export interface LatencyReport {
  title: string;
  command: string;
  baseline: string;
  rows: LatencyRow[];
}


const benchRedisUrl = process.env.RAPPORT_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether the bench's Redis answers (else the cached rows are reported as not measured). */
async function redisReachable(): Promise<boolean> {
  const r = new Redis(benchRedisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => null });
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

async function dropKeys(prefix: string): Promise<void> {
  const r = new Redis(benchRedisUrl);
  try {
    for await (const keys of r.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<string[]>) if (keys.length) await r.unlink(...keys);
  } finally {
    r.disconnect();
  }
}


async function benchOn(label: string, database: Database, sizes: { customers: number; communications: number; lookups: number }): Promise<LatencyRow[]> {
  const g0 = performance.now();
  await database.migrate();
  await generateCrmData(database, sizes.customers, sizes.communications);
  const generatedIn = (performance.now() - g0) / 1000;
  const standIn = await SlackStandIn.start();
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: secret, SLACK_API_URL: standIn.apiUrl, LOG_LEVEL: 'silent' });
  const ctx = await createContext(config, createLogger('silent'), database);
  const app = await build({ ctx, logRequests: false });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  // A second instance on the same database, its cards cached in Redis.
  const prefix = `rapport-bench:${randomBytes(4).toString('hex')}:`;
  const withRedis = (await redisReachable())
    ? await (async () => {
        const c = await createContext(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: secret, SLACK_API_URL: standIn.apiUrl, LOG_LEVEL: 'silent', REDIS_URL: benchRedisUrl, RAPPORT_REDIS_PREFIX: prefix }), createLogger('silent'), Object.assign(Object.create(database) as Database, { close: async () => {} }));
        const a = await build({ ctx: c, logRequests: false });
        return { ctx: c, app: a, address: await a.listen({ host: '127.0.0.1', port: 0 }) };
      })()
    : null;
  const { email: emailOf, name: nameOf } = lookupQueries(sizes.customers);
  const responseUrl = `${standIn.apiUrl}../response/b`;
  const signedLookup = (query: string, i: number, at = address) => signedLookupAt(at, responseUrl, query, i);
  const measure = (n: number, fn: (i: number) => Promise<void>) => measureLatency(n, fn);
  const bareQueries = (query: string) => bareLookup(database.db, query);
  try {
    const rows: LatencyRow[] = [];
    for (const [kind, queryOf] of [['email', emailOf], ['name', nameOf]] as const) {
      const bare = await measure(sizes.lookups, (i) => bareQueries(queryOf(i)));
      const slack = await measure(sizes.lookups, (i) => signedLookup(queryOf(i), i));
      rows.push(
        { name: `${label}, by ${kind}: lookup + card queries, bare`, medianMs: bare.median, p99Ms: bare.p99, ratio: 1, ...(kind === 'email' ? { note: `${sizes.customers} customers, ${sizes.communications} communications (generated in ${generatedIn.toFixed(1)} s), ${sizes.lookups} sequential lookups` } : {}) },
        { name: `${label}, by ${kind}: signed /crm lookup round trip (loopback HTTP)`, medianMs: slack.median, p99Ms: slack.p99, ratio: slack.median / bare.median },
      );
      if (kind !== 'email') continue;
      // Repeated lookups: the same customers again and again (a team looking at the same
      // accounts), without and with the Redis card cache; the bare queries are the baseline.
      const repeat = Math.min(50, sizes.customers);
      const repeatedBare = await measure(sizes.lookups, (i) => bareQueries(queryOf(i % repeat)));
      const uncached = await measure(sizes.lookups, (i) => signedLookup(queryOf(i % repeat), i));
      rows.push({ name: `${label}, by email, ${repeat} customers repeated: lookup + card queries, bare`, medianMs: repeatedBare.median, p99Ms: repeatedBare.p99, ratio: 1 });
      rows.push({ name: `${label}, by email, ${repeat} customers repeated: signed /crm lookup, no card cache`, medianMs: uncached.median, p99Ms: uncached.p99, ratio: uncached.median / repeatedBare.median });
      if (withRedis) {
        for (let i = 0; i < repeat; i++) await signedLookup(queryOf(i), i, withRedis.address);
        const cached = await measure(sizes.lookups, (i) => signedLookup(queryOf(i % repeat), i, withRedis.address));
        rows.push({ name: `${label}, by email, ${repeat} customers repeated: signed /crm lookup, cards cached in Redis`, medianMs: cached.median, p99Ms: cached.p99, ratio: cached.median / repeatedBare.median });
      } else {
        rows.push({ name: `${label}: cards cached in Redis`, medianMs: 0, p99Ms: 0, ratio: 0, note: `not measured: ${benchRedisUrl} unreachable` });
      }
    }
    return rows;
  } finally {
    await app.close();
    if (withRedis) {
      await withRedis.app.close();
      await withRedis.ctx.close();
      await dropKeys(prefix);
    }
    await standIn.close();
  }
}


export async function run(): Promise<LatencyReport> {
  const sizes = {
    customers: Number(process.env.RAPPORT_BENCH_CUSTOMERS ?? 10_000),
    communications: Number(process.env.RAPPORT_BENCH_COMMUNICATIONS ?? 100_000),
    lookups: Number(process.env.RAPPORT_BENCH_LOOKUPS ?? 300),
  };
  const rows: LatencyRow[] = [];
  const lite = await openDatabase({ dataDir: 'memory://' });
  try {
    rows.push(...(await benchOn('PGlite (in memory)', lite, sizes)));
  } finally {
    await lite.close();
  }
  const server = await serverDatabase();
  if (server) {
    try {
      rows.push(...(await benchOn('PostgreSQL 127.0.0.1', server.database, sizes)));
    } finally {
      await server.drop();
    }
  } else {
    rows.push({ name: 'PostgreSQL', medianMs: 0, p99Ms: 0, ratio: 0, note: `not measured: ${benchAdminUrl} unreachable` });
  }
  return {
    title: `/crm lookup: ${sizes.customers} customers, ${sizes.communications} communications`,
    command: 'node --import tsx bench/slack.bench.ts',
    baseline: 'the lookup and card queries run bare on the same database',
    rows,
  };
}

export function toMarkdown(r: LatencyReport): string {
  const lines = [`### ${r.title}`, '', `\`${r.command}\` — ratio: median against the baseline (${r.baseline}) of the same run.`, '', '| run | median ms | p99 ms | ratio | note |', '|---|---:|---:|---:|---|'];
  for (const row of r.rows) lines.push(`| ${row.name} | ${row.medianMs.toFixed(2)} | ${row.p99Ms.toFixed(2)} | ${row.ratio.toFixed(2)} | ${row.note ?? ''} |`);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log(toMarkdown(await run()));
}

/** For `npm run bench` (bench/run.ts). Latency: the ratio is bare ÷ round trip (> 1 would be faster than bare). */
export const bench: Bench = {
  name: 'slack',
  async run(): Promise<BenchSection> {
    const r = await run();
    return {
      title: r.title,
      about: 'A signed `/crm lookup` (by email and by name) through Bolt and Fastify on loopback, against the same lookup and card queries run bare on the same database (`RAPPORT_BENCH_CUSTOMERS`, `RAPPORT_BENCH_COMMUNICATIONS`, `RAPPORT_BENCH_LOOKUPS`); then the same 50 customers looked up again and again, without a card cache and on a second instance whose cards are cached in Redis (`RAPPORT_BENCH_REDIS_URL`, default redis://127.0.0.1:6379). Ratio: bare median ÷ round-trip median.',
      baseline: r.baseline,
      columns: ['median ms', 'p99 ms'],
      rows: r.rows.map((row) => ({
        name: row.name,
        values: { 'median ms': row.medianMs, 'p99 ms': row.p99Ms },
        ratio: row.name.endsWith(', bare') ? null : row.ratio > 0 ? 1 / row.ratio : null,
        ...(row.note ? { note: row.note } : {}),
      })),
    };
  },
};
