// Webhook accept throughput and latency on loopback, measured with autocannon against a real
// listening server, next to a baseline in the same run: a bare Fastify route that takes the same
// JSON body and answers 202 (no signature, no database). The servers run in a child process so the
// load generator does not share their event loop.
//   npm run bench -- webhook   (or alone: node --import tsx bench/webhook.bench.ts)
//   RAPPORT_BENCH_SECONDS=10 and RAPPORT_BENCH_CONNECTIONS=10 by default; BENCH_DATABASES=postgres
//   (or pglite) for one database's rows only.
// Rows: every request a new signed message (202 accepted: signature, source lookup, mapping, and
// the inbox append it waits for), the same message redelivered (202 duplicate), and the lag from
// accepted to captured while messages arrive at a steady rate (BENCH_LAG_RATE/s for
// BENCH_LAG_SECONDS) with the capture worker running, as in `rapport serve`.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { signatureHeaderValue } from '../adapters/webhook/signature.js';
import { sectionMarkdown, type Bench, type BenchRow, type BenchSection } from './run.js';

const adminUrl = process.env.RAPPORT_BENCH_PG_URL ?? process.env.RAPPORT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.RAPPORT_BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.RAPPORT_BENCH_CONNECTIONS ?? 10);
const SECRET = 'whsec_bench_secret_0123456789abcdef';
const LAG_RATE = Number(process.env.BENCH_LAG_RATE ?? 500);
const LAG_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 60);
/** Which databases get rows: `pglite,postgres` by default (BENCH_DATABASES=postgres for the server's rows only). */
const DATABASES = new Set((process.env.BENCH_DATABASES ?? 'pglite,postgres').split(',').map((d) => d.trim().toLowerCase()));

/** The capture settings of the environment, passed on to the server child (README "Configuration"). */
const captureSettings = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('RAPPORT_CAPTURE_')));

// ---- child: the servers under test ----------------------------------------------------------

interface ServerInfo {
  port: number;
}

async function serve(kind: string): Promise<void> {
  let stop: () => Promise<void>;
  let count: () => Promise<number> = async () => 0;
  let pending: () => Promise<number> = async () => 0;
  let startCapture: () => Promise<void> = async () => {};
  let lag: (prefix: string) => Promise<{ p50: number; p99: number; max: number; n: number }> = async () => ({ p50: 0, p99: 0, max: 0, n: 0 });
  let port: number;
  if (kind === 'bare') {
    const app = Fastify();
    app.post('/bare', async (_req, reply) => reply.status(202).send({ id: '00000000-0000-0000-0000-000000000000', status: 'accepted' }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
    stop = () => app.close();
  } else {
    const { loadConfig } = await import('../src/config.js');
    const { createContext } = await import('../src/context.js');
    const { build } = await import('../src/http/app.js');
    const { createLogger } = await import('../src/log.js');
    const { openDatabase } = await import('../src/store/database.js');
    const { createWebhookSource } = await import('../src/store/webhook-sources-repo.js');
    const { sql } = await import('drizzle-orm');
    const database = kind === 'pglite' ? await openDatabase({ dataDir: 'memory://' }) : await openDatabase({ databaseUrl: kind });
    const { secretBoxFor } = await import('../src/secret-key.js');
    const ctx = await createContext(loadConfig({ RAPPORT_SECRET_KEY: 'bench-key-for-sealed-secrets', RAPPORT_RATE_LIMIT_WEBHOOK: '0', ...captureSettings() }), createLogger('silent'), database);
    // A second server on the same database (the accept-only row) finds the source there already.
    await createWebhookSource(ctx.database.db, { configured: [], box: secretBoxFor(ctx.config, ctx.database) }, { name: 'bench', preset: 'generic', secret: SECRET }).catch((e: unknown) => {
      if ((e as { code?: string }).code !== 'conflict') throw e;
    });
    const app = await build({ ctx, logRequests: false });
    const { channelsOf } = await import('../src/channels/index.js');
    await channelsOf(ctx).start();
    startCapture = async () => channelsOf(ctx).worker.start();
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
    count = async () => {
      const r = (await ctx.database.db.execute(sql`select count(*) as n from communications where channel = 'webhook'`)) as { rows: { n: unknown }[] };
      return Number(r.rows[0]!.n);
    };
    pending = async () => {
      const r = (await ctx.database.db.execute(sql`select count(*) as n from inbox where status = 'pending'`)) as { rows: { n: unknown }[] };
      return Number(r.rows[0]!.n);
    };
    lag = async (prefix: string) => {
      const r = (await ctx.database.db.execute(sql`
        select percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.99) within group (order by ms) as p99, max(ms) as max, count(*) as n
        from (select extract(epoch from (i.settled_at - i.received_at)) * 1000 as ms
              from inbox i where i.status <> 'pending' and i.external_id like ${`bench:${prefix}%`}) t`)) as { rows: Record<string, unknown>[] };
      const row = r.rows[0]!;
      return { p50: Number(row.p50), p99: Number(row.p99), max: Number(row.max), n: Number(row.n) };
    };
    stop = async () => {
      await app.close();
      await ctx.close();
    };
  }
  process.on('message', (m: string) => {
    if (m === 'count') void count().then((n) => process.send!({ count: n }));
    if (m === 'pending') void pending().then((n) => process.send!({ count: n }));
    if (m.startsWith('lag:')) void lag(m.slice(4)).then((l) => process.send!({ lag: l }));
    if (m === 'stop') void stop().then(() => process.exit(0));
    // The accept-only server's backlog is captured by a worker started after the run.
    if (m === 'capture') void startCapture().then(() => process.send!({ count: 0 }));
  });
  process.send!({ port } satisfies ServerInfo);
}

// ---- parent: the load ------------------------------------------------------------------------

function startServer(kind: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(import.meta.filename, ['--serve', kind], {
    env: { ...process.env, ...env }, execArgv: ['--import', 'tsx', ...(process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [])], stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (m: ServerInfo) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`bench server ${kind} exited with ${code}`)));
  });
}

function ask(child: ChildProcess, message: string): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m: { count: number }) => resolve(m.count));
    child.send(message);
  });
}

function askLag(child: ChildProcess, prefix: string): Promise<{ p50: number; p99: number; max: number; n: number }> {
  return new Promise((resolve) => {
    child.once('message', (m: { lag: { p50: number; p99: number; max: number; n: number } }) => resolve(m.lag));
    child.send(`lag:${prefix}`);
  });
}

async function drained(child: ChildProcess, timeoutMs = 300_000): Promise<number> {
  const t0 = performance.now();
  while ((await ask(child, 'pending')) > 0) {
    if (performance.now() - t0 > timeoutMs) throw new Error('the inbox did not drain');
    await new Promise((r) => setTimeout(r, 100));
  }
  return (performance.now() - t0) / 1000;
}

async function stopServer(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.send('stop');
  });
}

const payload = (id: string) =>
  JSON.stringify({ id, thread_id: `t-${id.slice(-3)}`, from: { email: `buyer${id.slice(-2)}@kunlun.cn`, name: '王芳' }, subject: '退款进度', text: '我的订单还没有退款，请尽快处理。The refund is late.' });

interface Load {
  url: string;
  /** A new body per request, or the same body every time. */
  body: () => string;
  signed: boolean;
  seconds?: number;
  /** Requests per second across all connections (a steady arrival rate), else as fast as answered. */
  rate?: number;
}

async function load(l: Load): Promise<autocannon.Result> {
  return autocannon({
    url: l.url,
    connections: CONNECTIONS,
    duration: l.seconds ?? SECONDS,
    ...(l.rate ? { overallRate: l.rate } : {}),
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          const body = l.body();
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (l.signed) headers['x-rapport-signature'] = signatureHeaderValue(SECRET, body);
          return { ...req, body, headers };
        },
      },
    ],
  });
}

const columns = ['requests/s', 'p50 ms', 'p99 ms', 'failed'];

function row(name: string, r: autocannon.Result, baseline: number | null, note?: string): BenchRow {
  return {
    name,
    // `failed`: answers other than 2xx, socket errors and timeouts.
    values: { 'requests/s': r.requests.average, 'p50 ms': r.latency.p50, 'p99 ms': r.latency.p99, failed: r.non2xx + r.errors + r.timeouts },
    ratio: baseline === null ? null : r.requests.average / baseline,
    ...(note ? { note } : {}),
  };
}

async function onDatabase(label: string, kind: string, baseline: number): Promise<BenchRow[]> {
  const { child, port } = await startServer(kind);
  try {
    const url = `http://127.0.0.1:${port}/webhooks/bench`;
    const run = randomBytes(3).toString('hex');
    let n = 0;
    // Warm-up (not measured): first-use costs such as loading the Chinese dictionary.
    await load({ url, body: () => payload(`${run}-w${n++}`), signed: true, seconds: 2 });
    await drained(child);
    const before = await ask(child, 'count');
    const accepted = await load({ url, body: () => payload(`${run}-a${n++}`), signed: true });
    // The capture worker catches up with what was accepted.
    const catchUp = await drained(child);
    const stored = (await ask(child, 'count')) - before;
    const answered = accepted.statusCodeStats?.['202']?.count ?? 0;
    const dup = payload(`${run}-w0`);
    const duplicate = await load({ url, body: () => dup, signed: true });
    // Steady arrivals with capture running: how long from 202 to stored.
    const lagRun = await load({ url, body: () => payload(`${run}-l${n++}`), signed: true, seconds: LAG_SECONDS, rate: LAG_RATE });
    await drained(child);
    const lag = await askLag(child, `${run}-l`);
    return [
      row(`${label}: webhook, new message each request (202 accepted)`, accepted, baseline, `${answered} accepted in ${SECONDS} s; all ${stored} captured ${catchUp.toFixed(1)} s after the run`),
      row(`${label}: webhook, same message redelivered (202 duplicate)`, duplicate, baseline),
      {
        ...row(`${label}: ${LAG_RATE}/s for ${LAG_SECONDS} s with capture running`, lagRun, baseline),
        note: `accepted → captured: p50 ${Math.round(lag.p50)} ms, p99 ${Math.round(lag.p99)} ms, max ${Math.round(lag.max)} ms over ${lag.n} messages`,
      },
    ];
  } finally {
    await stopServer(child);
  }
}

/**
 * The same new-message load on an accept-only server (`RAPPORT_CAPTURE_WORKER=off`, as an instance
 * that leaves capture to another one); its backlog is captured by a worker started after the run.
 */
async function acceptOnly(label: string, kind: string, baseline: number): Promise<BenchRow> {
  const { child, port } = await startServer(kind, { RAPPORT_CAPTURE_WORKER: 'off' });
  try {
    const url = `http://127.0.0.1:${port}/webhooks/bench`;
    const run = randomBytes(3).toString('hex');
    let n = 0;
    await load({ url, body: () => payload(`${run}-w${n++}`), signed: true, seconds: 2 });
    const before = await ask(child, 'count');
    const accepted = await load({ url, body: () => payload(`${run}-a${n++}`), signed: true });
    await ask(child, 'capture');
    const catchUp = await drained(child);
    const stored = (await ask(child, 'count')) - before;
    const answered = accepted.statusCodeStats?.['202']?.count ?? 0;
    return row(
      `${label}: webhook, new message each request, accept-only instance (RAPPORT_CAPTURE_WORKER=off)`,
      accepted,
      baseline,
      `${answered} accepted in ${SECONDS} s with no capture worker in the process; a worker started after the run captured all ${stored} (with the warm-up's) in ${catchUp.toFixed(1)} s`,
    );
  } finally {
    await stopServer(child);
  }
}

async function onPostgres(baseline: number): Promise<BenchRow[]> {
  const name = `rapport_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const rows = await onDatabase('PostgreSQL', url.toString(), baseline);
    rows.splice(1, 0, await acceptOnly('PostgreSQL', url.toString(), baseline));
    return rows;
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end().catch(() => {});
  }
}

async function measure(): Promise<BenchSection> {
  const bare = await startServer('bare');
  let base: autocannon.Result;
  try {
    base = await load({ url: `http://127.0.0.1:${bare.port}/bare`, body: () => payload('bare'), signed: false });
  } finally {
    await stopServer(bare.child);
  }
  const baseline = base.requests.average;
  const rows: BenchRow[] = [row('bare Fastify route, same JSON body, 202', base, null)];
  if (DATABASES.has('pglite')) rows.push(...(await onDatabase('PGlite', 'pglite', baseline)));
  if (DATABASES.has('postgres')) rows.push(...(await onPostgres(baseline)));
  return {
    title: 'Webhooks: accept throughput and latency on loopback',
    about:
      `autocannon, ${CONNECTIONS} connections × ${SECONDS} s per row (RAPPORT_BENCH_CONNECTIONS, RAPPORT_BENCH_SECONDS), against \`rapport\`'s HTTP app listening on 127.0.0.1 in a child process, ` +
      'source \`generic\` stored in the database (secret sealed), the capture worker running as in \`rapport serve\`. "accepted": every request a new signed message (signature check, source lookup, mapping, inbox append — the 202 waits for that commit only). ' +
      `"duplicate": one message redelivered (the dedupe path). The last row sends ${'`BENCH_LAG_RATE`'} requests/s for ${'`BENCH_LAG_SECONDS`'} and measures, in the database, the time from each message's inbox commit to its capture. Logging off; the per-source rate limit off (${'`RAPPORT_RATE_LIMIT_WEBHOOK=0`'}: its default, 6,000 a minute, would answer most of these requests 429).`,
    baseline: 'a bare Fastify route in the same kind of child process, taking the same JSON body and answering 202 (no signature, no database)',
    columns,
    rows,
  };
}

export const bench: Bench = { name: 'webhook', run: measure };

if (process.argv[2] === '--serve') {
  await serve(process.argv[3]!);
} else if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log(sectionMarkdown(await measure()));
}
