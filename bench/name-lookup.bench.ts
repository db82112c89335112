// Name lookups (`/crm lookup Acme`, `rapport lookup`) with and without the pg_trgm indexes of
// migration 0007, on PGlite and on PostgreSQL: the same lookupCustomers query, the same generated
// names (md5 hex, so a six-character part matches about one customer), first with the trigram
// indexes dropped (the baseline: a scan), then with them built again.
//
//   BENCH_NAME_CUSTOMERS=1000000 BENCH_NAME_LOOKUPS=50 npm run bench -- name-lookup
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { lookupCustomers, nameLookupQuery } from '../src/store/customer-lookup.js';
import { openDatabase, type Database } from '../src/store/database.js';
import type { Bench, BenchRow, BenchSection } from './run.js';
import { benchAdminUrl, serverDatabase } from './server-database.js';

const customers = Number(process.env.BENCH_NAME_CUSTOMERS ?? 200_000);
const lookups = Number(process.env.BENCH_NAME_LOOKUPS ?? 50);

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

async function fill(database: Database): Promise<void> {
  const db = database.db;
  await db.execute(sql`drop index if exists customers_name_trgm_idx`);
  await db.execute(sql`drop index if exists companies_name_trgm_idx`);
  await db.execute(sql`insert into companies (name) select 'Firm ' || substr(md5('co' || g), 1, 10) from generate_series(1, ${Math.max(1, customers / 10)}) g`);
  await db.execute(sql`
    insert into customers (name, company_id)
    select 'Person ' || substr(md5('cu' || g), 1, 10), case when g % 10 = 0 then co.id end
    from generate_series(1, ${customers}) g
    left join companies co on co.name = 'Firm ' || substr(md5('co' || (g / 10)), 1, 10)`);
  await db.execute(sql`vacuum analyze customers`);
  await db.execute(sql`vacuum analyze companies`);
}

async function buildIndexes(database: Database): Promise<number> {
  const t = performance.now();
  await database.db.execute(sql`create index customers_name_trgm_idx on customers using gin (lower(name) gin_trgm_ops)`);
  await database.db.execute(sql`create index companies_name_trgm_idx on companies using gin (lower(name) gin_trgm_ops)`);
  await database.db.execute(sql`vacuum analyze customers`);
  await database.db.execute(sql`vacuum analyze companies`);
  return (performance.now() - t) / 1000;
}

/** Six characters from the middle of customer i's name: found in about one name. */
async function queries(database: Database): Promise<string[]> {
  const res = (await database.db.execute(sql`
    select substr(md5('cu' || ((g * 7919) % ${customers} + 1)), 3, 6) as q from generate_series(1, ${lookups}) g`)) as unknown as { rows: { q: string }[] };
  return res.rows.map((r) => r.q);
}

async function measure(database: Database, qs: string[]): Promise<{ median: number; p95: number; usesIndex: boolean }> {
  const times: number[] = [];
  for (const q of qs) {
    const t = performance.now();
    const found = await lookupCustomers(database.db, q, { limit: 10, defaultRegion: 'US' });
    times.push(performance.now() - t);
    if (found.matches.length === 0) throw new Error('bench: a generated name was not found');
  }
  const plan = (await database.db.execute(sql`explain ${nameLookupQuery(qs[0]!, 11)}`)) as unknown as { rows: Record<string, string>[] };
  return { median: percentile(times, 0.5), p95: percentile(times, 0.95), usesIndex: plan.rows.some((r) => /customers_name_trgm_idx/.test(Object.values(r)[0]!)) };
}

async function benchOn(label: string, database: Database): Promise<BenchRow[]> {
  await database.migrate();
  const t = performance.now();
  await fill(database);
  const filled = (performance.now() - t) / 1000;
  const qs = await queries(database);
  const scan = await measure(database, qs);
  const built = await buildIndexes(database);
  const indexed = await measure(database, qs);
  if (!indexed.usesIndex) throw new Error(`bench: ${label}: the lookup plan does not use customers_name_trgm_idx`);
  return [
    { name: `${label}: name lookup, no trigram index (scan)`, values: { 'median ms': scan.median, 'p95 ms': scan.p95 }, ratio: null, note: `${customers.toLocaleString('en')} customers generated in ${filled.toFixed(1)} s` },
    { name: `${label}: name lookup, pg_trgm GIN indexes`, values: { 'median ms': indexed.median, 'p95 ms': indexed.p95 }, ratio: scan.median / indexed.median, note: `indexes built in ${built.toFixed(1)} s; EXPLAIN: Bitmap Index Scan on customers_name_trgm_idx` },
  ];
}

export const bench: Bench = {
  name: 'name-lookup',
  async run(): Promise<BenchSection> {
    const rows: BenchRow[] = [];
    const lite = await openDatabase({ dataDir: 'memory://' });
    try {
      rows.push(...(await benchOn('PGlite (in memory)', lite)));
    } finally {
      await lite.close();
    }
    const server = await serverDatabase();
    if (!server) throw new Error(`bench: PostgreSQL unreachable at ${benchAdminUrl}`);
    try {
      rows.push(...(await benchOn('PostgreSQL 127.0.0.1', server.database)));
    } finally {
      await server.drop();
    }
    return {
      title: `Name lookup: ${customers.toLocaleString('en')} customers, pg_trgm index vs scan`,
      about: `${lookups} sequential \`lookupCustomers\` calls by six characters from the middle of a generated name (md5 hex; a tenth of the customers have a company), first with the trigram indexes of migration 0007 dropped, then built (\`BENCH_NAME_CUSTOMERS\`, \`BENCH_NAME_LOOKUPS\`).`,
      baseline: 'the same lookups on the same database without the trigram indexes (a scan of every name)',
      columns: ['median ms', 'p95 ms'],
      rows,
    };
  },
};
