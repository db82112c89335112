// CSV import throughput: `rapport import customers` run as the real CLI (a child process, exactly
// what a user runs) on PGlite (a temp data dir) and on the PostgreSQL server (a fresh database,
// dropped afterwards), against a baseline measured in the same run on the same database: the same
// rows written with plain multi-row INSERTs (1,000 rows per statement, no validation, no matching).
//   BENCH_ROWS=100000 npm run bench -- import
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { ImportSummary } from '../src/importing/import-summary.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { companies, customers, identities } from '../src/store/schema/index.js';
import { customerHeader, generatedCustomers, tempDir, writeCsvFile } from '../test/helpers/import-csv.js';
import type { Bench, BenchRow } from './run.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const adminUrl = process.env.RAPPORT_BENCH_PG_URL ?? process.env.RAPPORT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const root = path.join(import.meta.dirname, '..');
const STATEMENT_ROWS = 1000;

/** The baseline: the generated rows, as they are, in multi-row INSERTs, one transaction per statement group. */
async function rawInserts(database: Database, rows: Iterable<string[]>): Promise<number> {
  const db = database.db;
  const started = performance.now();
  const companyIds = new Map<string, string>();
  let batch: string[][] = [];
  const flush = async () => {
    await db.transaction(async (tx) => {
      const newCompanies = [...new Map(batch.filter((r) => r[3] && !companyIds.has(r[3])).map((r) => [r[3]!, r[4]!])).entries()];
      if (newCompanies.length > 0) {
        const made = await tx
          .insert(companies)
          .values(newCompanies.map(([name, domain]) => ({ name, domains: domain ? [domain] : [] })))
          .returning({ id: companies.id, name: companies.name });
        for (const c of made) companyIds.set(c.name, c.id);
      }
      const ids = batch.map(() => randomUUID());
      await tx.insert(customers).values(
        batch.map(([name, , , company, , tags, owner], i) => ({
          id: ids[i]!,
          name: name!,
          companyId: company ? companyIds.get(company)! : null,
          owner: owner || null,
          tags: tags ? tags.split(';') : [],
        })),
      );
      await tx.insert(identities).values(
        batch.flatMap(([, email, phone, , , , , externalId], i) => [
          { customerId: ids[i]!, kind: 'email' as const, value: email!, display: email! },
          ...(phone ? [{ customerId: ids[i]!, kind: 'phone' as const, value: phone.replace(/ /g, ''), display: phone.replace(/ /g, '') }] : []),
          { customerId: ids[i]!, kind: 'external_id' as const, value: externalId!, display: externalId! },
        ]),
      );
    });
    batch = [];
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length === STATEMENT_ROWS) await flush();
  }
  if (batch.length > 0) await flush();
  return (performance.now() - started) / 1000;
}

function runCli(args: string[], env: Record<string, string>): Promise<{ summary: ImportSummary; wallSeconds: number }> {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.RAPPORT_DATA_DIR;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', ...args],
      { cwd: root, env: { ...base, LOG_LEVEL: 'warn', RAPPORT_JOBS: 'off', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`rapport ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
        resolve({ summary: JSON.parse(stdout) as ImportSummary, wallSeconds: (performance.now() - started) / 1000 });
      },
    );
  });
}

interface Target {
  label: string;
  open(): Promise<Database>;
  cliEnv: Record<string, string>;
  cleanup(): Promise<void>;
}

async function measure(target: Target, file: string): Promise<BenchRow[]> {
  const database = await target.open();
  let baselineSeconds: number;
  try {
    await database.migrate();
    baselineSeconds = await rawInserts(database, generatedCustomers(ROWS));
    // Same table, emptied: the import starts from the state the baseline started from.
    await database.db.execute(sql`truncate customers, identities, companies cascade`);
  } finally {
    await database.close(); // PGlite is single-process: the CLI opens the data dir next.
  }
  const { summary, wallSeconds } = await runCli(['--json', 'import', 'customers', file], target.cliEnv);
  if (summary.created !== ROWS || summary.rejected !== 0) {
    throw new Error(`${target.label}: expected ${ROWS} created, got ${summary.created} created and ${summary.rejected} rejected`);
  }
  const baselineRate = ROWS / baselineSeconds;
  const importRate = (ROWS * 1000) / summary.durationMs;
  return [
    { name: `multi-row INSERT · ${target.label}`, values: { 'rows/s': baselineRate, seconds: baselineSeconds, 'wall s (process)': '' }, ratio: null, note: 'baseline' },
    {
      name: `rapport import customers · ${target.label}`,
      values: { 'rows/s': importRate, seconds: summary.durationMs / 1000, 'wall s (process)': wallSeconds },
      ratio: importRate / baselineRate,
      note: `${summary.created.toLocaleString('en-US')} created; seconds include the checking pass`,
    },
  ];
}

async function pgliteTarget(dir: string): Promise<Target> {
  const dataDir = path.join(dir, 'pglite');
  return { label: 'PGlite', open: () => openDatabase({ dataDir }), cliEnv: { RAPPORT_DATA_DIR: dataDir }, cleanup: async () => {} };
}

async function postgresTarget(): Promise<Target> {
  const name = `rapport_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    label: 'PostgreSQL',
    open: () => openDatabase({ databaseUrl: url.toString() }),
    cliEnv: { DATABASE_URL: url.toString() },
    async cleanup() {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export const bench: Bench = {
  name: 'import',
  async run() {
    const dir = await tempDir('rapport-bench-import-');
    const rows: BenchRow[] = [];
    let pgVersion = '';
    try {
      const file = dir.file('customers.csv');
      await writeCsvFile(file, customerHeader, generatedCustomers(ROWS));
      for (const make of [() => pgliteTarget(dir.path), postgresTarget]) {
        const target = await make();
        try {
          rows.push(...(await measure(target, file)));
          if (target.label === 'PostgreSQL') {
            const db = await target.open();
            pgVersion = String(((await db.db.execute(sql`show server_version`)) as unknown as { rows: { server_version: string }[] }).rows[0]?.server_version ?? '');
            await db.close();
          }
        } finally {
          await target.cleanup();
        }
      }
    } finally {
      await dir.remove();
    }
    return {
      title: `CSV import: ${ROWS.toLocaleString('en-US')} generated customers`,
      about:
        `\`rapport import customers FILE.csv --json\` as a child process (the real CLI: file check pass, streaming parse, ` +
        `normalization, matching, 500-row transactions; a batch's new customers written together, one statement per table, others in a savepoint each) into an empty database: PGlite on a temp ` +
        `data dir, and a fresh database on the PostgreSQL server${pgVersion ? ` ${pgVersion}` : ''} at 127.0.0.1:5432 (dropped afterwards). ` +
        `Each customer has a name, an email, an external id, tags and an owner; 3 in 4 a company (500 companies), 1 in 3 a phone. ` +
        `\`rows/s\` and \`seconds\` are the importer's own timing (from opening the file to the summary); \`wall s\` adds process ` +
        `start and database open. Size: \`BENCH_ROWS\` (default 100000).`,
      baseline: 'the same rows (customers, their identities and companies) written into the same tables of the same database with plain multi-row INSERTs of 1,000 rows, without validation or matching',
      columns: ['rows/s', 'seconds', 'wall s (process)'],
      rows,
    };
  },
};
