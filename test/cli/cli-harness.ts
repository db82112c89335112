// Runs the real `rapport` CLI as a child process against this project's database: the PostgreSQL
// test database (DATABASE_URL), or for PGlite an on-disk data directory that the test seeds first
// and closes (PGlite is single-process), then hands to the CLI (RAPPORT_DATA_DIR).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../src/store/database.js';
import { createTestDatabase, openTestPglite, prepareTestDataDir, testDbKind } from '../helpers/database.js';
import { rapportBin } from '../helpers/rapport-bin.js';

const root = join(import.meta.dirname, '../..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliHarness {
  /** Seeds through a database handle; on PGlite it is closed again before the CLI runs. */
  seed<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  run(...args: string[]): Promise<CliResult>;
  /** The same with extra environment variables (RAPPORT_REPORTING_CURRENCY…). */
  runWith(env: Record<string, string>, ...args: string[]): Promise<CliResult>;
  close(): Promise<void>;
}

export async function cliHarness(): Promise<CliHarness> {
  if (testDbKind === 'postgres') {
    const database = await createTestDatabase();
    const env = { DATABASE_URL: database.url! };
    return { seed: (fn) => fn(database), run: (...args) => runCli(args, env), runWith: (extra, ...args) => runCli(args, { ...env, ...extra }), close: () => database.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'rapport-cli-'));
  const dataDir = join(dir, 'data');
  // The data directory starts from the migrated template, so the first command does not create it.
  await prepareTestDataDir(dataDir);
  return {
    async seed(fn) {
      const database = await openTestPglite(dataDir);
      try {
        await database.migrate();
        return await fn(database);
      } finally {
        await database.close();
      }
    },
    run: (...args) => runCli(args, { RAPPORT_DATA_DIR: dataDir }),
    runWith: (extra, ...args) => runCli(args, { RAPPORT_DATA_DIR: dataDir, ...extra }),
    async close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `rapport ARGS` as a child process with this environment (on top of the test process's, less DATABASE_URL). */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [rapportBin, ...args],
      { cwd: root, env: { ...base, LOG_LEVEL: 'warn', RAPPORT_JOBS: 'off', RAPPORT_DEFAULT_REGION: 'CN', ...env }, timeout: 240_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
