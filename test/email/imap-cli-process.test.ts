// The real processes: `rapport sync email --once` SIGKILLed in the middle of a first sync and run
// again (nothing lost, nothing twice), and `rapport serve` syncing over IDLE and stopping on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { createTestDatabase, openTestPglite, prepareTestDataDir, testDbKind, type TestDatabase } from '../helpers/database.js';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.js';
import { plainMessage } from '../helpers/mail-fixtures.js';
import { acceptedEmails, folderStates, mailboxEnv, storedEmails, syncFailures } from './email-test-context.js';

const root = join(import.meta.dirname, '..', '..');
let dovecot: DovecotServer;
let dataDir: string;
let pgDatabase: TestDatabase | null = null;

/** Where the child processes keep their data: a PGlite directory, or this test's PostgreSQL database. */
function databaseEnv(): Record<string, string> {
  return pgDatabase ? { DATABASE_URL: pgDatabase.url! } : { RAPPORT_DATA_DIR: dataDir };
}

async function openStore(): Promise<Database> {
  if (pgDatabase) return pgDatabase;
  return openTestPglite(dataDir);
}

async function closeStore(d: Database): Promise<void> {
  if (d !== pgDatabase) await d.close();
}

function rapport(args: string[], extra: Record<string, string> = {}): { child: ChildProcess; stdout: () => string; stderr: () => string; exit: Promise<{ code: number | null; signal: string | null }> } {
  const env = { ...process.env, ...mailboxEnv(dovecot), ...databaseEnv(), LOG_LEVEL: 'warn', ...extra };
  delete (env as Record<string, string | undefined>).RAPPORT_TEST_DB;
  const child = spawn(process.execPath, [join(root, 'bin/rapport.js'), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function until(probe: () => boolean, timeoutMs: number, what: string, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dovecot = await startDovecot();
  dataDir = mkdtempSync(join(tmpdir(), 'rapport-cli-email-'));
  if (testDbKind === 'postgres') pgDatabase = await createTestDatabase();
  else await prepareTestDataDir(dataDir);
});

afterAll(async () => {
  await pgDatabase?.close();
  await dovecot?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('rapport sync email --once as a process', () => {
  const total = 400;

  it('is SIGKILLed mid-sync, runs again, and ends with every message exactly once', async () => {
    const appended = await dovecot.append('INBOX', Array.from({ length: total }, (_, i) => plainMessage({ id: `kill-${i}` })));

    const first = rapport(['sync', 'email', '--once'], { RAPPORT_IMAP_BATCH_SIZE: '5' });
    // Progress lines go to stderr when not on a terminal; the first one comes after the first commit.
    await until(() => /email support\/INBOX: \d+\/400/.test(first.stderr()), 120_000, 'the first progress line', first.stderr);
    first.child.kill('SIGKILL');
    expect((await first.exit).signal).toBe('SIGKILL');

    let store = await openStore();
    // Accepted into the inbox (captured or still waiting): what the folder cursor must account for.
    const partial = (await acceptedEmails(store.db)).length;
    const cursor = (await folderStates(store.db)).find((s) => s.path === 'INBOX');
    await closeStore(store);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(total);
    // The cursor and the messages were committed together: it points exactly at the last stored UID.
    expect(Number(cursor!.highestUid)).toBe(appended.uids[partial - 1]);

    const second = rapport(['sync', 'email', '--once', '--json']);
    const exit = await second.exit;
    expect(exit.code, second.stderr()).toBe(0);
    const summary = JSON.parse(second.stdout()) as { totals: { created: number; scanned: number } };
    expect(summary.totals.created).toBe(total - partial);
    expect(summary.totals.scanned).toBe(total - partial);

    store = await openStore();
    const ids = (await storedEmails(store.db)).map((m) => m.externalId);
    const failures = await syncFailures(store.db);
    const state = (await folderStates(store.db)).find((s) => s.path === 'INBOX');
    await closeStore(store);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    expect(failures).toHaveLength(0);
    expect(Number(state!.highestUid)).toBe(appended.uids.at(-1));
  }, 240_000);
});

describe('rapport serve with a mailbox', () => {
  it('captures new mail over IDLE and stops on SIGTERM', async () => {
    const serve = rapport(['serve', '--port', '0'], { LOG_LEVEL: 'info', RAPPORT_EMAIL_SYNC: 'on' });
    await until(() => serve.stderr().includes('imap connected'), 60_000, 'the IMAP connection', serve.stderr);
    await new Promise((r) => setTimeout(r, 500));
    await dovecot.append('INBOX', [plainMessage({ id: 'serve-idle-1' })]);
    await until(() => /"trigger":"idle"[^\n]*"created":1/.test(serve.stderr()), 10_000, 'the IDLE pass', serve.stderr);

    const stopping = Date.now();
    serve.child.kill('SIGTERM');
    const exit = await serve.exit;
    expect(exit.code, serve.stderr()).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10_000);

    const store = await openStore();
    const stored = await storedEmails(store.db);
    await closeStore(store);
    expect(stored.some((m) => m.externalId === '<serve-idle-1@customer-co.com>')).toBe(true);
  }, 120_000);
});
