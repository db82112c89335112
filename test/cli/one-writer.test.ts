// One writer per embedded data directory: `rapport serve` holds it, CLI commands run meanwhile go
// through the server (a token created on the command line works at once), a second `serve` is
// refused with one line, and the lock dies with its process. On PostgreSQL there is no lock: the
// CLI connects to the server, and two `serve` on one database is ordinary scaling.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, prepareTestDataDir, testDbKind, type TestDatabase } from '../helpers/database.js';
import { runCli } from './cli-harness.js';
import { rapportBin } from '../helpers/rapport-bin.js';

const root = join(import.meta.dirname, '../..');

interface Serve {
  child: ChildProcess;
  /** Resolves with the URL once it listens; rejects if it exits first. */
  listening: Promise<string>;
  exited: Promise<{ code: number | null; stderr: string }>;
}

function startServe(env: Record<string, string>): Serve {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  const child = spawn(process.execPath, [rapportBin, 'serve', '--port', '0'], {
    cwd: root,
    env: { ...base, LOG_LEVEL: 'warn', RAPPORT_JOBS: 'off', RAPPORT_EMAIL_SYNC: 'off', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
  const listening = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    void exited.then(({ code }) => reject(new Error(`serve exited (${code}): ${stderr}`)));
  });
  listening.catch(() => {});
  return { child, listening, exited };
}

async function stop(serve: Serve): Promise<void> {
  if (serve.child.exitCode !== null || serve.child.signalCode !== null) return;
  serve.child.kill('SIGTERM');
  await serve.exited;
}

let env: Record<string, string>;
let database: TestDatabase | null = null;
let dataDir = '';

beforeAll(async () => {
  if (testDbKind === 'postgres') {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url! };
  } else {
    dataDir = join(mkdtempSync(join(tmpdir(), 'rapport-writer-')), 'data');
    await prepareTestDataDir(dataDir);
    env = { RAPPORT_DATA_DIR: dataDir };
  }
});
afterAll(async () => {
  await database?.close();
  if (dataDir) rmSync(join(dataDir, '..'), { recursive: true, force: true });
});

describe('one writer per database', { timeout: 180_000 }, () => {
  it('accepts a token created with the CLI while serve runs, at once', async () => {
    const serve = startServe(env);
    try {
      const url = await serve.listening;
      const created = await runCli(['token', 'create', '--name', 'while-serving', '--scope', 'admin'], env);
      expect(created.code, created.stderr).toBe(0);
      const token = created.stdout.trim();
      const res = await fetch(`${url}/api/v1/tokens`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data: { name: string }[] };
      expect(body.data.map((t) => t.name)).toContain('while-serving');
      // And the other way round: what the server holds is what the CLI reads.
      const listed = await runCli(['--json', 'token', 'list'], env);
      expect(listed.code, listed.stderr).toBe(0);
      expect((JSON.parse(listed.stdout) as { name: string; lastUsedAt: string | null }[]).find((t) => t.name === 'while-serving')?.lastUsedAt).not.toBeNull();

      // A backup taken through the running server, and a restore it refuses: the database holds data.
      const file = join(mkdtempSync(join(tmpdir(), 'rapport-writer-backup-')), 'b.tar');
      const backup = await runCli(['--json', 'backup', file], env);
      expect(backup.code, backup.stderr).toBe(0);
      expect((JSON.parse(backup.stdout) as { tables: { name: string; rows: number }[] }).tables.find((t) => t.name === 'api_tokens')?.rows).toBe(1);
      const restore = await runCli(['restore', file], env);
      expect(restore.code).toBe(1);
      expect(restore.stderr.trim().split('\n')).toHaveLength(1);
      expect(restore.stderr).toMatch(/^rapport: the database is not empty \(api_tokens: 1.*--force/);
      rmSync(join(file, '..'), { recursive: true, force: true });
    } finally {
      await stop(serve);
    }
  });

  if (testDbKind === 'pglite') {
    it('refuses a second serve on the data directory with one line naming the first', async () => {
      const first = startServe(env);
      try {
        await first.listening;
        const second = startServe(env);
        const { code, stderr } = await second.exited;
        expect(code).toBe(1);
        expect(stderr.trim().split('\n')).toEqual([
          `rapport: ${dataDir} is already in use by rapport serve (pid ${first.child.pid}); stop it first, or give this one another RAPPORT_DATA_DIR`,
        ]);
        // The socket the CLI goes through is this user's only.
        expect(statSync(join(dataDir, 'run', '.s.PGSQL.5432')).mode & 0o777).toBe(0o600);
        expect(statSync(join(dataDir, 'run')).mode & 0o777).toBe(0o700);
      } finally {
        await stop(first);
      }
      expect(existsSync(join(dataDir, 'rapport.lock'))).toBe(false);
    });

    it('takes over the lock of a serve that was killed', async () => {
      const serve = startServe(env);
      await serve.listening;
      serve.child.kill('SIGKILL');
      await serve.exited;
      // The killed server left its lock behind…
      expect(JSON.parse(readFileSync(join(dataDir, 'rapport.lock'), 'utf8'))).toMatchObject({ pid: serve.child.pid, command: 'serve' });
      // …and the next command opens the directory itself.
      const listed = await runCli(['token', 'list'], env);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain('while-serving');
      expect(existsSync(join(dataDir, 'rapport.lock'))).toBe(false);
    });
  } else {
    it('runs two serve on one PostgreSQL database side by side', async () => {
      const first = startServe(env);
      const second = startServe(env);
      try {
        const urls = await Promise.all([first.listening, second.listening]);
        for (const url of urls) expect((await fetch(`${url}/readyz`)).status).toBe(200);
      } finally {
        await Promise.all([stop(first), stop(second)]);
      }
    });
  }
});
