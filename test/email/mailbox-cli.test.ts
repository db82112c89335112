// `rapport mailbox add|list|remove` as a user runs them: the password goes in on stdin, is stored
// sealed, is never printed, and a wrong RAPPORT_SECRET_KEY fails with a clear code.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { mailboxes } from '../../src/store/schema/index.js';
import { createTestDatabase, openTestPglite, prepareTestDataDir, testDbKind, type TestDatabase } from '../helpers/database.js';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.js';
import { plainMessage } from '../helpers/mail-fixtures.js';

const root = join(import.meta.dirname, '..', '..');
const key = 'mailbox-cli-test-key-123456';
let dovecot: DovecotServer;
let dataDir: string;
let pgDatabase: TestDatabase | null = null;

function run(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...(pgDatabase ? { DATABASE_URL: pgDatabase.url! } : { RAPPORT_DATA_DIR: dataDir }),
    RAPPORT_SECRET_KEY: key, RAPPORT_JOBS: 'off', LOG_LEVEL: 'warn', ...opts.env,
  };
  delete env.RAPPORT_TEST_DB;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin/rapport.js'), ...args], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(opts.input ?? '');
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The code of the one-line JSON failure on stderr (other lines may be logs). */
function errorCode(stderr: string): string | undefined {
  const line = stderr.split('\n').find((l) => l.startsWith('{"error":'));
  return line ? (JSON.parse(line) as { error: { code: string } }).error.code : undefined;
}

async function withStore<T>(fn: (d: Database) => Promise<T>): Promise<T> {
  if (pgDatabase) return fn(pgDatabase);
  const d = await openTestPglite(dataDir);
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

beforeAll(async () => {
  dovecot = await startDovecot({ users: { test: 'pass', agent: 's3cret-应用密码' } });
  dataDir = mkdtempSync(join(tmpdir(), 'rapport-mailbox-cli-'));
  if (testDbKind === 'postgres') pgDatabase = await createTestDatabase();
  else await prepareTestDataDir(dataDir);
});

afterAll(async () => {
  await pgDatabase?.close();
  await dovecot?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('rapport mailbox', () => {
  const password = 's3cret-应用密码';
  const add = (name: string, pw: string, extra: string[] = []) =>
    run(['mailbox', 'add', name, '--host', '127.0.0.1', '--port', String(dovecot.port), '--no-tls', '--user', 'agent', '--password-stdin', ...extra], { input: `${pw}\n` });

  it('adds a mailbox after logging in, stores the password sealed and never prints it', async () => {
    const added = await add('agent', password);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('INBOX (inbox), Sent (sent)');
    expect(added.stdout + added.stderr).not.toContain(password);

    const rows = await withStore((d) => d.db.select().from(mailboxes));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.secret).toMatch(/^rsb1\./);
    expect(rows[0]!.secret).not.toContain(password);

    await dovecot.append('INBOX', [plainMessage({ id: 'cli-1' })], { user: 'agent' });
    const synced = await run(['--json', 'sync', 'email', '--once', '--mailbox', 'agent']);
    expect(synced.code, synced.stderr).toBe(0);
    expect(JSON.parse(synced.stdout).totals.created).toBe(1);

    const listed = await run(['--json', 'mailbox', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(password);
    expect(listed.stdout).not.toContain('rsb1.');
    const [box] = JSON.parse(listed.stdout) as { name: string; state: { path: string; highestUid: number }[] }[];
    expect(box).toMatchObject({ name: 'agent' });
    expect(box!.state.find((s) => s.path === 'INBOX')?.highestUid).toBe(1);
  }, 120_000);

  it('refuses a wrong password with code auth and saves nothing', async () => {
    const r = await run(['--json', 'mailbox', 'add', 'wrong', '--host', '127.0.0.1', '--port', String(dovecot.port), '--no-tls', '--user', 'agent', '--password-stdin'], { input: 'nope\n' });
    expect(r.code).toBe(1);
    expect(errorCode(r.stderr)).toBe('auth');
    expect(await withStore((d) => d.db.select().from(mailboxes))).toHaveLength(1);
  }, 60_000);

  it('fails with secret_key_wrong when RAPPORT_SECRET_KEY changed', async () => {
    const r = await run(['--json', 'sync', 'email', '--once', '--mailbox', 'agent'], { env: { RAPPORT_SECRET_KEY: 'a-different-key-of-length' } });
    expect(r.code).toBe(2);
    expect(errorCode(r.stderr)).toBe('secret_key_wrong');
  }, 60_000);

  it('removes a mailbox', async () => {
    const r = await run(['mailbox', 'remove', 'agent']);
    expect(r.code, r.stderr).toBe(0);
    expect(await withStore((d) => d.db.select().from(mailboxes))).toHaveLength(0);
    const again = await run(['mailbox', 'remove', 'agent']);
    expect(again.code).toBe(1);
  }, 60_000);
});
