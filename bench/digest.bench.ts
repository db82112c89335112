// Digest build time: the whole daily digest (every section) over generated CRM data, on PGlite and
// on PostgreSQL. Baseline, same run and database: one indexed count of the window's communications,
// the least any digest must read. Sizes: RAPPORT_BENCH_CUSTOMERS (10,000), RAPPORT_BENCH_COMMUNICATIONS
// (100,000), RAPPORT_BENCH_DIGESTS (20 builds, median reported).
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { buildDigest, digestOptions } from '../src/jobs/digests.js';
import { createLogger } from '../src/log.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { generateCrmData } from './generate-crm-data.js';
import type { Bench, BenchRow, BenchSection } from './run.js';
import { serverDatabase } from './server-database.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeMany(n: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

async function on(label: string, database: Database, sizes: { customers: number; communications: number; builds: number }): Promise<BenchRow[]> {
  await database.migrate();
  await generateCrmData(database, sizes.customers, sizes.communications);
  const ctx = await createContext(loadConfig({ RAPPORT_JOBS: 'off' }), createLogger('silent'), database);
  const slot = new Date();
  const from = new Date(slot.getTime() - 86_400_000);
  const baseline = await timeMany(sizes.builds, () => database.db.execute(sql`select count(*) from communications where occurred_at >= ${from} and occurred_at < ${slot}`));
  const build = await timeMany(sizes.builds, () => buildDigest(database.db, { slot, timeZone: 'Asia/Shanghai', owner: null, segment: null, late: false }, digestOptions(ctx)));
  const owner = await timeMany(sizes.builds, () => buildDigest(database.db, { slot, timeZone: 'Asia/Shanghai', owner: 'owner3', segment: null, late: false }, digestOptions(ctx)));
  return [
    { name: `${label}: baseline — count of the window's communications`, values: { 'median ms': baseline }, ratio: null },
    { name: `${label}: build the whole digest`, values: { 'median ms': build }, ratio: baseline / build },
    { name: `${label}: build a digest for one owner`, values: { 'median ms': owner }, ratio: baseline / owner },
  ];
}

export const bench: Bench = {
  name: 'digest',
  async run(): Promise<BenchSection> {
    const sizes = {
      customers: Number(process.env.RAPPORT_BENCH_CUSTOMERS ?? 10_000),
      communications: Number(process.env.RAPPORT_BENCH_COMMUNICATIONS ?? 100_000),
      builds: Number(process.env.RAPPORT_BENCH_DIGESTS ?? 20),
    };
    const rows: BenchRow[] = [];
    const lite = await openDatabase({ dataDir: 'memory://' });
    try {
      rows.push(...(await on('PGlite', lite, sizes)));
    } finally {
      await lite.close();
    }
    const server = await serverDatabase('rapport_bench_digest');
    if (!server) throw new Error('PostgreSQL is unreachable: the digest benchmark measures both databases');
    try {
      rows.push(...(await on('PostgreSQL', server.database, sizes)));
    } finally {
      await server.drop();
    }
    return {
      title: `Daily digest: ${sizes.customers} customers, ${sizes.communications} communications`,
      about: `\`buildDigest\` (every section: new by channel and kind, feedback, negative from high value, waiting for reply, keywords and rising ones, changes) over generated data with 1,440 communications in the last 24 hours; median of ${sizes.builds} builds after a warm-up. Env: \`RAPPORT_BENCH_CUSTOMERS\`, \`RAPPORT_BENCH_COMMUNICATIONS\`, \`RAPPORT_BENCH_DIGESTS\`.`,
      baseline: "one indexed count of the window's communications on the same database (ratio = baseline ÷ build time)",
      columns: ['median ms'],
      rows,
    };
  },
};

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const s = await bench.run();
  for (const r of s.rows) console.log(r.name, r.values, r.ratio);
}
