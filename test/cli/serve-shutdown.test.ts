// `rapport serve` must stop on SIGTERM and SIGINT, promptly, after jobs have run: HTTP, mail
// watchers, scheduler (running jobs drained) and database closed, exit code 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, prepareTestDataDir, testDbKind, type TestDatabase } from '../helpers/database.js';
import { rapportBin } from '../helpers/rapport-bin.js';

const root = join(import.meta.dirname, '../..');

function startServe(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [rapportBin, 'serve', '--port', '0'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  // Ready once it listens and the first scheduled job (digests, run at start) has finished.
  const listening = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m && /"job":"digests"[^\n]*"msg":"job done"/.test(stderr)) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`serve exited early (${code}): ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, listening, exited };
}

describe('rapport serve shutdown', () => {
  // A database of its own for each run: on a database where another instance ran the every-minute
  // digests job moments ago, Agenda rightly waits for its next minute instead of running it at start.
  async function freshDatabase(): Promise<{ env: NodeJS.ProcessEnv; close(): Promise<void> }> {
    if (testDbKind === 'postgres') {
      const database: TestDatabase = await createTestDatabase();
      return { env: { DATABASE_URL: database.url }, close: () => database.close() };
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'rapport-serve-'));
    await prepareTestDataDir(dataDir);
    return { env: { RAPPORT_DATA_DIR: dataDir }, close: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`answers health checks, then exits with code 0 on ${signal} within 10 s`, async () => {
      const database = await freshDatabase();
      try {
        const { child, listening, exited } = startServe(database.env);
        const url = await listening;
        const health = await fetch(`${url}/readyz`);
        expect(health.status).toBe(200);
        const t0 = Date.now();
        child.kill(signal);
        const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000))]);
        if (code === 'timeout') child.kill('SIGKILL');
        expect(code).toBe(0);
        expect(Date.now() - t0).toBeLessThan(10_000);
      } finally {
        await database.close();
      }
    }, 60_000);
  }
});
