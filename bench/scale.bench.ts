// Lookups at the size a real company reaches, on one and on three instances: generated data of
// RAPPORT_BENCH_SCALE_CUSTOMERS (100,000) customers and RAPPORT_BENCH_SCALE_COMMUNICATIONS
// (1,000,000) communications on a throwaway PostgreSQL database; three `rapport serve` processes
// (the compiled CLI, as deployed) on that database and one Redis, each with the Slack channel (its
// Web API a local stand-in) and the webhook channel. Measured, against the same lookup and card
// queries run bare on the database in the same run:
//   - one instance, one lookup after another: signed `/crm lookup` by email and by name (each a
//     different customer), and the same 50 customers again and again (cards cached in Redis);
//   - three instances sharing the load (lookups spread round-robin, several callers at once);
//   - the same while signed webhooks arrive as fast as the three instances take them and every
//     instance's capture worker drains the shared inbox (capture at full speed).
//   npm run bench -- scale     (RAPPORT_BENCH_SCALE_LOOKUPS=600, RAPPORT_BENCH_SCALE_CONCURRENCY=3,
//                               RAPPORT_BENCH_SCALE_CAPTURE_CONNECTIONS=6)
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { signatureHeaderValue } from '../adapters/webhook/signature.js';
import { loadConfig } from '../src/config.js';
import { secretBoxFor } from '../src/secret-key.js';
import type { Db } from '../src/store/database.js';
import { createWebhookSource } from '../src/store/webhook-sources-repo.js';
import { SlackStandIn } from '../test/helpers/slack-stand-in.js';
import { generateCrmData } from './generate-crm-data.js';
import { measureInThread } from './latency-thread.js';
import { bareLookup, lookupQueries, lookupSigningSecret, measureLatency, signedLookup, type Latency } from './lookups.js';
import { ensureBuild, rapportBin, rapportEnv, startUntil, type Started } from './processes.js';
import { sectionMarkdown, type Bench, type BenchRow, type BenchSection } from './run.js';
import { serverDatabase } from './server-database.js';

const CUSTOMERS = Number(process.env.RAPPORT_BENCH_SCALE_CUSTOMERS ?? 100_000);
const COMMUNICATIONS = Number(process.env.RAPPORT_BENCH_SCALE_COMMUNICATIONS ?? 1_000_000);
const LOOKUPS = Number(process.env.RAPPORT_BENCH_SCALE_LOOKUPS ?? 600);
const CONCURRENCY = Number(process.env.RAPPORT_BENCH_SCALE_CONCURRENCY ?? 3);
const CAPTURE_CONNECTIONS = Number(process.env.RAPPORT_BENCH_SCALE_CAPTURE_CONNECTIONS ?? 6);
const INSTANCES = 3;
const REPEATED = 50;
const redisUrl = process.env.RAPPORT_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET_KEY = 'bench-key-for-sealed-secrets';
const WEBHOOK_SECRET = 'whsec_bench_secret_0123456789abcdef';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function count(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  const r = (await db.execute(query)) as unknown as { rows: { n: unknown }[] };
  return Number(r.rows[0]!.n);
}

const columns = ['median ms', 'p99 ms', 'lookups/s', 'p99 ÷ bare p99'];

function latencyRow(name: string, l: Latency, bare: Latency | null, note?: string): BenchRow {
  return {
    name,
    values: { 'median ms': l.median, 'p99 ms': l.p99, 'lookups/s': l.perSecond, 'p99 ÷ bare p99': bare ? l.p99 / bare.p99 : 1 },
    // > 1 would be faster than the bare queries: bare p99 ÷ this p99.
    ratio: bare ? bare.p99 / l.p99 : null,
    ...(note ? { note } : {}),
  };
}

async function measure(): Promise<BenchSection> {
  ensureBuild();
  const server = await serverDatabase();
  if (!server) throw new Error('the scale benchmark needs the PostgreSQL server (RAPPORT_BENCH_PG_URL)');
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const prefix = `rapport-bench-scale:${randomBytes(4).toString('hex')}:`;
  const standIn = await SlackStandIn.start();
  const instances: Started[] = [];
  try {
    const { database } = server;
    const g0 = performance.now();
    await database.migrate();
    await generateCrmData(database, CUSTOMERS, COMMUNICATIONS);
    const generatedIn = (performance.now() - g0) / 1000;
    const config = loadConfig({ RAPPORT_SECRET_KEY: SECRET_KEY });
    await createWebhookSource(database.db, { configured: [], box: secretBoxFor(config, database) }, { name: 'bench', preset: 'generic', secret: WEBHOOK_SECRET });

    const urls: string[] = [];
    for (let n = 0; n < INSTANCES; n++) {
      const port = await freePort();
      const env = rapportEnv({
        DATABASE_URL: server.url, REDIS_URL: redisUrl, RAPPORT_REDIS_PREFIX: prefix, RAPPORT_SECRET_KEY: SECRET_KEY,
        SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: lookupSigningSecret, SLACK_API_URL: standIn.apiUrl,
        HOST: '127.0.0.1', PORT: String(port), RAPPORT_RATE_LIMIT_WEBHOOK: '0', RAPPORT_RATE_LIMIT_SLACK: '0',
      });
      instances.push(await startUntil([process.execPath, rapportBin, 'serve'], env, /rapport listening on/));
      urls.push(`http://127.0.0.1:${port}`);
    }
    const responseUrl = `${standIn.apiUrl}../response/b`;
    const q = lookupQueries(CUSTOMERS);
    const rows: BenchRow[] = [];

    const bareEmail = await measureLatency(LOOKUPS, (i) => bareLookup(database.db, q.email(i)));
    const bareName = await measureLatency(LOOKUPS, (i) => bareLookup(database.db, q.name(i)));
    const bareRepeated = await measureLatency(LOOKUPS, (i) => bareLookup(database.db, q.email(i % REPEATED)));
    rows.push(
      latencyRow('bare lookup + card queries, by email', bareEmail, null, `${CUSTOMERS.toLocaleString('en-US')} customers, ${COMMUNICATIONS.toLocaleString('en-US')} communications (generated in ${generatedIn.toFixed(0)} s); ${LOOKUPS} lookups per row`),
      latencyRow('bare lookup + card queries, by name', bareName, null),
      latencyRow(`bare lookup + card queries, ${REPEATED} customers repeated`, bareRepeated, null),
    );

    // One instance, one caller. The offset keeps each row's customers apart from the rows before,
    // so "each a different customer" is never answered from a card cached by an earlier row.
    let offset = 0;
    const lookups = (urlsOf: string[], by: 'email' | 'name', concurrency = 1) =>
      measureInThread({ kind: 'lookup', urls: urlsOf, responseUrl, customers: CUSTOMERS, by, offset: (offset += LOOKUPS * 2) }, LOOKUPS, concurrency);
    const repeated = (urlsOf: string[], concurrency = 1) =>
      measureInThread({ kind: 'lookup', urls: urlsOf, responseUrl, customers: CUSTOMERS, by: 'email', repeat: REPEATED }, LOOKUPS, concurrency);
    const one = [urls[0]!];
    rows.push(latencyRow('one instance: signed /crm lookup by email', await lookups(one, 'email'), bareEmail));
    rows.push(latencyRow('one instance: signed /crm lookup by name', await lookups(one, 'name'), bareName));
    for (let i = 0; i < REPEATED; i++) await signedLookup(urls[0]!, responseUrl, q.email(i), i);
    // The floor of this machine: the instance's cheapest request (no database, no Redis) over the
    // same loopback HTTP, one after another.
    rows.push(latencyRow('one instance: GET /healthz over loopback HTTP (the floor)', await measureInThread({ kind: 'healthz', url: urls[0]! }, LOOKUPS), bareRepeated));
    rows.push(latencyRow(`one instance: ${REPEATED} customers repeated, cards cached in Redis`, await repeated(one), bareRepeated));

    // Three instances sharing the load: lookup i goes to instance i mod 3, CONCURRENCY callers.
    rows.push(latencyRow(`three instances, ${CONCURRENCY} callers: signed /crm lookup by email`, await lookups(urls, 'email', CONCURRENCY), bareEmail));
    rows.push(latencyRow(`three instances, ${CONCURRENCY} callers: signed /crm lookup by name`, await lookups(urls, 'name', CONCURRENCY), bareName));
    rows.push(latencyRow(`three instances, ${CONCURRENCY} callers: ${REPEATED} customers repeated, cards cached in Redis`, await repeated(urls, CONCURRENCY), bareRepeated));

    // Capture at full speed on all three while the same lookups run. Messages come from the
    // generated customers' addresses, so capture also invalidates their cached cards.
    const run = randomBytes(3).toString('hex');
    let n = 0;
    const captured = sql`select count(*) as n from communications where channel = 'webhook'`;
    const before = await count(database.db, captured);
    const loads = urls.map((url) =>
      autocannon({
        url: `${url}/webhooks/bench`,
        connections: Math.max(1, Math.round(CAPTURE_CONNECTIONS / INSTANCES)),
        duration: 3_600,
        method: 'POST',
        requests: [
          {
            setupRequest: (req) => {
              const id = `${run}-${n++}`;
              const body = JSON.stringify({ id, from: { email: q.email(n) }, subject: 'Delivery', text: `Where is my order ${id}? 我的订单还没到，请尽快处理。` });
              return { ...req, body, headers: { 'content-type': 'application/json', 'x-rapport-signature': signatureHeaderValue(WEBHOOK_SECRET, body) } };
            },
          },
        ],
      }),
    );
    const c0 = performance.now();
    await new Promise((r) => setTimeout(r, 3_000)); // the load reaches its pace first
    const duringEmail = await lookups(urls, 'email', CONCURRENCY);
    const duringName = await lookups(urls, 'name', CONCURRENCY);
    const seconds = (performance.now() - c0) / 1000;
    for (const l of loads) (l as unknown as { stop(): void }).stop();
    const results = await Promise.all(loads);
    const accepted = results.reduce((s, r) => s + (r.statusCodeStats?.['202']?.count ?? 0), 0);
    const failed = results.reduce((s, r) => s + r.non2xx + r.errors + r.timeouts, 0);
    const capturedDuring = (await count(database.db, captured)) - before;
    const d0 = performance.now();
    while ((await count(database.db, sql`select count(*) as n from inbox where status = 'pending'`)) > 0) {
      if (performance.now() - d0 > 600_000) throw new Error('the inbox did not drain');
      await new Promise((r) => setTimeout(r, 200));
    }
    const drainSeconds = (performance.now() - d0) / 1000;
    const total = (await count(database.db, captured)) - before;
    const captureNote = `meanwhile ${accepted.toLocaleString('en-US')} webhooks accepted (${Math.round(accepted / seconds)}/s, ${failed} failed) and ${capturedDuring.toLocaleString('en-US')} captured (${Math.round(capturedDuring / seconds)}/s) over ${seconds.toFixed(0)} s; all ${total.toLocaleString('en-US')} captured ${drainSeconds.toFixed(1)} s later`;
    rows.push(latencyRow(`three instances while capture runs at full speed: by email`, duringEmail, bareEmail, captureNote));
    rows.push(latencyRow(`three instances while capture runs at full speed: by name`, duringName, bareName));

    return {
      title: `Lookups at ${CUSTOMERS.toLocaleString('en-US')} customers and ${COMMUNICATIONS.toLocaleString('en-US')} communications: one and three instances (PostgreSQL + Redis)`,
      about:
        `Generated data (\`RAPPORT_BENCH_SCALE_CUSTOMERS\`, \`RAPPORT_BENCH_SCALE_COMMUNICATIONS\`) on a throwaway database on the local PostgreSQL server; three \`rapport serve\` processes (compiled build, jobs off, logs at warn) on it with one Redis (\`REDIS_URL\`, own key prefix) and the Slack stand-in as Slack's Web API. ` +
        `Each row is ${LOOKUPS} really signed \`/crm lookup\` slash commands over loopback HTTP (\`RAPPORT_BENCH_SCALE_LOOKUPS\`), after 20 not measured, sent with node:http from a worker thread of their own (so the bench process's own garbage collection is not counted as answer time); "one instance" rows are one caller against one process; "three instances" rows spread the lookups round-robin over the three processes with ${CONCURRENCY} callers at once (\`RAPPORT_BENCH_SCALE_CONCURRENCY\`). ` +
        `By email and by name each lookup is another customer (cards not cached yet); "repeated" cycles through the same ${REPEATED} customers, whose cards the first pass put in Redis. ` +
        `The last rows run while autocannon sends signed webhooks from the generated customers' addresses to all three instances (${CAPTURE_CONNECTIONS} connections in all, \`RAPPORT_BENCH_SCALE_CAPTURE_CONNECTIONS\`) and every instance's capture worker drains the shared inbox. Everything — PostgreSQL, Redis, three instances and the load — shares the machine's cores.`,
      baseline: 'the same lookup and card queries run bare on the database from the bench process, one after another (p99); ratio: bare p99 ÷ the row\'s p99',
      columns,
      rows,
    };
  } finally {
    for (const i of instances) await i.stop().catch(() => {});
    await standIn.close().catch(() => {});
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<string[]>) if (keys.length) await redis.unlink(...keys);
    redis.disconnect();
    await server.drop();
  }
}

export const bench: Bench = { name: 'scale', run: measure };

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log(sectionMarkdown(await measure()));
}
