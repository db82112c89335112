// Capture throughput through the one way in — inbox append, then the capture worker draining it in
// batches with analysis in worker threads — on PGlite and on the PostgreSQL server, against a
// baseline measured in the same run on the same database: COPY of the very rows capture produced
// into a copy of the communications table with the same indexes (the fastest way PostgreSQL can
// take them).
//   npm run bench -- capture            BENCH_MESSAGES=100000 (per database)
//   BENCH_MESSAGES=1000000 BENCH_DATABASES=postgres npm run bench -- capture   (peak RSS at 1M)
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { channelsOf } from '../src/channels/index.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { normalizeCustomer } from '../src/core/customers.js';
import type { InboundMessage } from '../src/core/inbound-message.js';
import { favourSmallHeaps, smallHeapsWanted } from '../src/heap-tuning.js';
import { createLogger } from '../src/log.js';
import { createCustomer } from '../src/store/customers-repo.js';
import { openDatabase, type Database } from '../src/store/database.js';
import type { Bench, BenchRow, BenchSection } from './run.js';
import { ensureBuild, resetPeak, resident, root } from './processes.js';
import { serverDatabase } from './server-database.js';

const zh = [
  '您好，我们上周下的订单到现在还没有发货，请帮忙查一下物流。',
  '发票抬头需要改成上海客户科技有限公司，税号不变。',
  '设备安装后一直报错，重启也没有用，麻烦安排工程师上门。',
  '价格可以接受，请把合同发过来，我们走一下盖章流程。',
  '退款已经申请三天了，还没有到账，请尽快处理。',
  '客服小王很耐心，问题解决了，谢谢！',
  '建议你们的后台增加批量导出功能，现在一条一条导太慢了。',
];
const en = [
  'Our order from last week still has not shipped. Could you check the tracking number?',
  'The invoice needs the new company address; everything else is correct.',
  'After the update the dashboard keeps timing out for our whole team.',
  'We are happy with the quote, please send the contract for signature.',
  'The refund was requested three days ago and has not arrived yet. This is really frustrating.',
  'Thanks a lot for the quick fix, the export works perfectly now!',
  'It would help if the mobile app could show the delivery window on the order page.',
];

/** Message i of a generated stream: known customers, new people at known companies, strangers; replies in threads. */
export function generatedMessage(i: number, tag: string): InboundMessage {
  const chinese = i % 2 === 0;
  const lines = chinese ? zh : en;
  const who = i % 3;
  const from = who === 0 ? `c${i % 500}@acme${i % 50}.example` : who === 1 ? `p${i % 20_000}@acme${i % 50}.example` : `x${i % 30_000}@gmail.com`;
  const reply = i % 4 === 3;
  return {
    channel: 'email',
    externalId: `<${tag}-${i}@bench>`,
    threadHints: reply ? { inReplyTo: `<${tag}-${i - 1}@bench>`, references: [`<${tag}-${i - 2}@bench>`, `<${tag}-${i - 1}@bench>`] } : {},
    from: { email: from, name: chinese ? `客户${i % 300}` : `Customer ${i % 300}` },
    to: [{ email: 'support@rapport.example' }],
    subject: `${reply ? 'Re: ' : ''}${chinese ? '订单问题' : 'Order question'} #${1000 + (i % 5000)}`,
    text: `${lines[i % lines.length]}\n${lines[(i * 7 + 3) % lines.length]} (#${i})`,
    attachments: [],
    occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 1000),
    flags: [],
  };
}

interface Measured {
  appendSeconds: number;
  captureSeconds: number;
  copySeconds: number;
  /** Peak resident set of the whole process (threads included), MB, in each phase. */
  peakMb: { start: number; append: number; drain: number };
  captured: number;
}

async function onDatabase(database: Database, n: number): Promise<Measured> {
  // RAPPORT_* settings in the bench's environment apply (RAPPORT_ANALYSIS_THREADS, RAPPORT_CAPTURE_BATCH, …).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('RAPPORT_')));
  const config = loadConfig({ ...env, RAPPORT_INTERNAL_DOMAINS: 'rapport.example', RAPPORT_AUTO_CREATE: 'company_domain' });
  const ctx = await createContext(config, createLogger(process.env.BENCH_LOG_LEVEL ?? 'silent'), database);
  // Peaks from the kernel (VmHWM), not sampled: a phase that keeps the event loop busy (appending to
  // PGlite, which answers without a timer turn in between) would hide its peak from a timer.
  const peak = () => resident(process.pid).peakMb;
  try {
    const db = database.db;
    for (let c = 0; c < 50; c++) {
      const emails = Array.from({ length: 10 }, (_, k) => `c${c + 50 * k}@acme${c}.example`);
      await createCustomer(db, normalizeCustomer({ name: `Acme ${c} buyer`, emails, company: `Acme ${c}`, domains: [`acme${c}.example`] }, { defaultRegion: 'US' }));
    }
    const channels = channelsOf(ctx);
    // Warm: analysis threads loaded, caches filled.
    await channels.captureNow(Array.from({ length: 20 }, (_, i) => generatedMessage(i, 'warm')));
    const startPeak = peak();

    // Append everything first (the inbox as a buffer), then drain: two separate rates.
    resetPeak();
    const chunk = 1000;
    const t0 = performance.now();
    for (let start = 0; start < n; start += chunk) {
      const part = Array.from({ length: Math.min(chunk, n - start) }, (_, k) => generatedMessage(start + k, 'run'));
      await channels.inbox.appendAll(part);
    }
    const appendSeconds = (performance.now() - t0) / 1000;
    const appendPeak = peak();
    resetPeak();
    const t1 = performance.now();
    const drained = await channels.worker.drain();
    const captureSeconds = (performance.now() - t1) / 1000;
    // Rapport's peak: the baseline below holds the captured rows as its own CSV, not Rapport's memory.
    const drainPeak = peak();
    if (drained.messages !== n) throw new Error(`captured ${drained.messages} of ${n}`);

    // Baseline: the same rows by COPY into a table like communications (indexes and generated column included).
    await db.execute(sql`drop table if exists bench_copy`);
    await db.execute(sql`create table bench_copy (like communications including all)`);
    const columns = 'id, channel, direction, kind, external_id, thread_id, customer_id, company_id, subject, text, full_text, participants, attachments, occurred_at, language, flags, keywords, sentiment, match, raw_ref, search_text, created_at, updated_at';
    const copySeconds = await copyRows(database, columns);
    await db.execute(sql`drop table bench_copy`);
    return { appendSeconds, captureSeconds, copySeconds, peakMb: { start: startPeak, append: appendPeak, drain: drainPeak }, captured: drained.messages };
  } finally {
    await ctx.close();
  }
}

/** COPY communications → CSV (a temporary file on PostgreSQL, so a million rows are not held in memory), then time COPY CSV → bench_copy. */
async function copyRows(database: Database, columns: string): Promise<number> {
  const select = `copy (select ${columns} from communications where external_id like '<run-%') to stdout with (format csv)`;
  const load = `copy bench_copy (${columns}) from stdin with (format csv)`;
  if (database.pglite) {
    const out = await database.pglite.query(select.replace('to stdout', "to '/dev/blob'"));
    const blob = out.blob!;
    const t = performance.now();
    await database.pglite.query(load.replace('from stdin', "from '/dev/blob'"), [], { blob });
    return (performance.now() - t) / 1000;
  }
  const client = await database.pool!.connect();
  const dir = mkdtempSync(path.join(tmpdir(), 'rapport-bench-capture-'));
  try {
    const file = path.join(dir, 'rows.csv');
    await pipeline(client.query(copyTo(select)), createWriteStream(file));
    const t = performance.now();
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), client.query(copyFrom(load)));
    return (performance.now() - t) / 1000;
  } finally {
    client.release();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Capture measured on one database: PGlite in a temporary directory (as deployed, its files on disk), or a fresh database on the server. */
async function measure(which: 'pglite' | 'postgres', n: number): Promise<Measured> {
  if (which === 'pglite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'rapport-bench-capture-pglite-'));
    try {
      return await onDatabase(await openDatabase({ dataDir: path.join(dir, 'data') }), n);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const server = await serverDatabase();
  if (!server) throw new Error('PostgreSQL is unreachable');
  try {
    return await onDatabase(server.database, n);
  } finally {
    await server.drop();
  }
}

/**
 * This module, compiled for a child process that runs Rapport's compiled build (build/, as
 * `rapport serve` does) without a TypeScript loader: tsx's loader thread and transpiled sources
 * hold ~50 MB that are not Rapport's. Null when esbuild is not installed (the child then runs the
 * sources through tsx).
 */
async function compiledChild(): Promise<string | null> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return null;
  }
  ensureBuild();
  const self = fileURLToPath(import.meta.url);
  const src = path.join(root, 'src') + path.sep;
  const outfile = path.join(root, 'bench/.out/capture-child.mjs');
  await esbuild.build({
    entryPoints: [self],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    plugins: [
      {
        name: 'rapport-build',
        setup(b) {
          // Rapport's own modules come from build/ (not bundled: the analysis threads find their
          // entry beside the compiled pool), the bench's are bundled.
          b.onResolve({ filter: /\/src\// }, (args) => {
            const file = path.resolve(args.resolveDir, args.path);
            if (!file.startsWith(src)) return undefined;
            return { path: path.join(root, 'build/src', path.relative(src, file)), external: true };
          });
        },
      },
    ],
  });
  return outfile;
}

async function measureInChild(which: 'pglite' | 'postgres', n: number): Promise<Measured> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rapport-bench-capture-'));
  try {
    const out = path.join(dir, 'measured.json');
    const child = await compiledChild();
    const argv = child ? [child] : ['--import', 'tsx', fileURLToPath(import.meta.url)];
    const r = spawnSync(process.execPath, [...argv, '--measure', which, String(n), out], { stdio: 'inherit' });
    if (r.status !== 0 || !existsSync(out)) throw new Error(`capture on ${which} failed (exit ${r.status ?? r.signal})`);
    return JSON.parse(readFileSync(out, 'utf8')) as Measured;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The child: `node bench/.out/capture-child.mjs --measure pglite|postgres N OUT` (or this file through tsx).
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--measure') {
  const [which, n, out] = process.argv.slice(3) as ['pglite' | 'postgres', string, string];
  // As `rapport` decides at start (src/main.ts): small heaps on the embedded database.
  if (smallHeapsWanted({ RAPPORT_SMALL_HEAPS: process.env.RAPPORT_SMALL_HEAPS, ...(which === 'postgres' ? { DATABASE_URL: 'postgres://' } : {}) })) favourSmallHeaps();
  measure(which, Number(n))
    .then((m) => {
      writeFileSync(out, JSON.stringify(m));
      process.exit(0);
    })
    .catch((e: unknown) => {
      process.stderr.write(`${(e as Error).stack}\n`);
      process.exit(1);
    });
}

const defaultMessages = 100_000;

export const bench: Bench = {
  name: 'capture',
  async run(): Promise<BenchSection> {
    const n = Number(process.env.BENCH_MESSAGES ?? defaultMessages);
    const which = (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(',');
    const rows: BenchRow[] = [];
    const add = (label: string, m: Measured) => {
      const copyRate = m.captured / m.copySeconds;
      rows.push({ name: `${label}: baseline — COPY of the captured rows into a table like communications`, values: { 'messages/s': copyRate, seconds: m.copySeconds, 'peak RSS MB': '' }, ratio: null });
      rows.push({ name: `${label}: inbox append (1,000 per statement)`, values: { 'messages/s': n / m.appendSeconds, seconds: m.appendSeconds, 'peak RSS MB': m.peakMb.append }, ratio: n / m.appendSeconds / copyRate });
      rows.push({
        name: `${label}: capture worker draining the inbox (analysis, matching, threading, store)`,
        values: { 'messages/s': n / m.captureSeconds, seconds: m.captureSeconds, 'peak RSS MB': m.peakMb.drain },
        ratio: n / m.captureSeconds / copyRate,
        note: `peak from the process's start to the warm-up's end: ${Math.round(m.peakMb.start)} MB`,
      });
    };
    // Each database in a process of its own: the peak RSS of one is not the other's leftovers (a
    // WebAssembly heap, threads' malloc arenas), and no other bench module sits in its memory.
    if (which.includes('pglite')) add('PGlite', await measureInChild('pglite', n));
    if (which.includes('postgres')) add('PostgreSQL', await measureInChild('postgres', n));
    return {
      ...(n === defaultMessages ? {} : { key: `capture-${n}` }),
      title: `capture: ${n.toLocaleString('en-US')} generated messages through the inbox`,
      about:
        `Generated email (\`BENCH_MESSAGES\`, default 100,000; half Chinese, half English; a third from known customers, a third from new people at known companies — auto-created —, a third from free-mail strangers — review queue; every fourth a reply by References), appended to the inbox 1,000 per statement, then captured by the capture worker (batches of ${'`RAPPORT_CAPTURE_BATCH`'} = 500, analysis in worker threads: language, terms, keywords, sentiment, kind). Each database is measured in a process of its own running the compiled build, as \`rapport serve\` does (\`BENCH_DATABASES=postgres\` or \`pglite\` picks one); PGlite keeps its files in a temporary directory, as deployed. Peak RSS is that whole process's, threads included, in each phase (the kernel's high-water mark, VmHWM, set back at each phase's start); \`rapport\` settings (\`RAPPORT_*\`) in the environment apply.`,
      baseline: 'COPY (CSV) of exactly the rows capture wrote into `create table … (like communications including all)`: same columns, generated search vector and indexes, on the same database',
      columns: ['messages/s', 'seconds', 'peak RSS MB'],
      rows,
    };
  },
};
