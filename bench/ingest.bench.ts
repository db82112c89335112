// `rapport ingest eml` throughput: N generated .eml files (default 10,000; mixed English/Chinese,
// ~10% GBK, a third replies with quoted history, HTML-only and attachment mail among them), run
// through the real ingest path (read → parseEmail → capture pipeline, 100 per transaction) on
// embedded PGlite and on the PostgreSQL server, against a baseline measured in the same run:
// read + parseEmail alone.
//   node --import tsx bench/ingest.bench.ts            (RAPPORT_BENCH_MESSAGES=10000)
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ingestEmlFiles } from '../src/channels/email.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { createLogger } from '../src/log.js';
import { emlFiles } from '../src/mail/eml-files.js';
import { parseEmail } from '../src/mail/parse-email.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { writeMailCorpus } from './mail-corpus.js';
import type { Bench, BenchSection } from './run.js';
import { benchAdminUrl, serverDatabase } from './server-database.js';

export interface BenchRow {
  name: string;
  messagesPerSecond: number;
  seconds: number;
  /** Throughput relative to the baseline of the same run. */
  ratio: number;
  note?: string;
}

export interface BenchReport {
  title: string;
  command: string;
  baseline: string;
  rows: BenchRow[];
}


async function parseOnly(dir: string): Promise<number> {
  let n = 0;
  for await (const e of emlFiles([dir])) {
    if (e.error) continue;
    await parseEmail(await readFile(e.path));
    n++;
  }
  return n;
}

async function ingestInto(database: Database, dir: string): Promise<{ created: number; failed: number }> {
  const config = loadConfig({ RAPPORT_INTERNAL_DOMAINS: 'rapport.example', RAPPORT_AUTO_CREATE: 'always' });
  const ctx = await createContext(config, createLogger('silent'), database);
  try {
    const s = await ingestEmlFiles(ctx, [dir]);
    return { created: s.created, failed: s.failed };
  } finally {
    await ctx.close();
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}


export async function run(): Promise<BenchReport> {
  const n = Number(process.env.RAPPORT_BENCH_MESSAGES ?? 10_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'rapport-bench-eml-'));
  try {
    writeMailCorpus(dir, n);
    // Warm the parser (module loading, first-use compilation) outside the measurement.
    await parseOnly(path.join(dir, 'f000'));

    const base = await timed(() => parseOnly(dir));
    const baseRate = base.value / base.seconds;
    const rows: BenchRow[] = [{ name: 'baseline: read + parseEmail only', messagesPerSecond: baseRate, seconds: base.seconds, ratio: 1 }];

    const lite = await openDatabase({ dataDir: 'memory://' });
    const onLite = await timed(() => ingestInto(lite, dir));
    rows.push({ name: 'rapport ingest eml → PGlite (in memory)', messagesPerSecond: onLite.value.created / onLite.seconds, seconds: onLite.seconds, ratio: onLite.value.created / onLite.seconds / baseRate, note: `${onLite.value.created} created, ${onLite.value.failed} failed` });

    const server = await serverDatabase();
    if (server) {
      try {
        const onPg = await timed(() => ingestInto(server.database, dir));
        rows.push({ name: 'rapport ingest eml → PostgreSQL 127.0.0.1', messagesPerSecond: onPg.value.created / onPg.seconds, seconds: onPg.seconds, ratio: onPg.value.created / onPg.seconds / baseRate, note: `${onPg.value.created} created, ${onPg.value.failed} failed` });
      } finally {
        await server.drop();
      }
    } else {
      rows.push({ name: 'rapport ingest eml → PostgreSQL', messagesPerSecond: 0, seconds: 0, ratio: 0, note: `not measured: ${benchAdminUrl} unreachable` });
    }
    return { title: `ingest eml: ${n} generated messages`, command: 'node --import tsx bench/ingest.bench.ts', baseline: 'read + parseEmail only', rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function toMarkdown(r: BenchReport): string {
  const lines = [`### ${r.title}`, '', `\`${r.command}\` — ratio against the baseline (${r.baseline}) of the same run.`, '', '| run | messages/s | seconds | ratio | note |', '|---|---:|---:|---:|---|'];
  for (const row of r.rows) lines.push(`| ${row.name} | ${row.messagesPerSecond.toFixed(0)} | ${row.seconds.toFixed(1)} | ${row.ratio.toFixed(2)} | ${row.note ?? ''} |`);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const report = await run();
  console.log(toMarkdown(report));
}

/** For `npm run bench` (bench/run.ts): the same measurement as a BenchSection. */
export const bench: Bench = {
  name: 'ingest',
  async run(): Promise<BenchSection> {
    const r = await run();
    return {
      title: r.title,
      about: `\`rapport ingest eml\` over a generated corpus (English and Chinese, 10 % GBK, a third replies with quotes; \`RAPPORT_BENCH_MESSAGES\`, default 10,000): files parsed in worker threads, appended to the inbox 200 at a time and captured by the capture worker meanwhile, into PGlite in memory and into a fresh PostgreSQL database. The baseline parses on one thread.`,
      baseline: r.baseline,
      columns: ['messages/s', 'seconds'],
      rows: r.rows.map((row, i) => ({
        name: row.name,
        values: { 'messages/s': row.messagesPerSecond, seconds: row.seconds },
        ratio: i === 0 ? null : row.ratio,
        ...(row.note ? { note: row.note } : {}),
      })),
    };
  },
};
