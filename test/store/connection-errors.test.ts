// Against the real PostgreSQL server: a closed port, a missing database, an unknown user and TLS
// asked of a server without it each stop the start with one line naming the cause, the URL with
// its password hidden, and a hint; `sslmode=disable` in DATABASE_URL connects. (A wrong password
// cannot happen here — the local server trusts 127.0.0.1 — see test/unit/store/connection-errors.test.ts.)
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { adminUrl } from '../helpers/database.js';
import { runCli } from '../cli/cli-harness.js';

function urlWith(change: (u: URL) => void): string {
  const u = new URL(adminUrl);
  change(u);
  return u.toString();
}

/** A port nothing listens on: bound and released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function startError(url: string): Promise<{ code?: string; message: string; details?: { reason?: string } }> {
  const database = await openDatabase({ databaseUrl: url });
  try {
    await database.migrate();
    throw new Error('migrate succeeded');
  } catch (e) {
    return e as { code?: string; message: string; details?: { reason?: string } };
  } finally {
    await database.close();
  }
}

describe('connecting to PostgreSQL', { timeout: 60_000 }, () => {
  it('names a refused port', async () => {
    const port = await closedPort();
    const e = await startError(urlWith((u) => ((u.hostname = '127.0.0.1'), (u.port = String(port)), (u.password = 'hunter2'))));
    expect(e).toMatchObject({ code: 'unavailable', details: { reason: 'refused' } });
    expect(e.message).toContain(`127.0.0.1:${port} (connection refused)`);
    expect(e.message).toContain(':***@');
    expect(e.message).not.toContain('hunter2');
  });

  it('names a missing database', async () => {
    const e = await startError(urlWith((u) => (u.pathname = '/rapport_no_such_db')));
    expect(e).toMatchObject({ code: 'unavailable', details: { reason: 'database_missing' } });
    expect(e.message).toMatch(/^database "rapport_no_such_db" does not exist on .* — create it \(createdb rapport_no_such_db/);
  });

  it('names an unknown user', async () => {
    const e = await startError(urlWith((u) => ((u.username = 'rapport_nobody'), (u.password = 'pw'))));
    expect(e).toMatchObject({ code: 'unavailable', details: { reason: 'role_missing' } });
    expect(e.message).toMatch(/PostgreSQL has no user "rapport_nobody"/);
  });

  it('names TLS asked of a server that has none, and connects with sslmode=disable', async () => {
    const e = await startError(urlWith((u) => u.searchParams.set('sslmode', 'verify-full')));
    expect(e).toMatchObject({ code: 'unavailable', details: { reason: 'tls_unsupported' } });
    const database = await openDatabase({ databaseUrl: urlWith((u) => u.searchParams.set('sslmode', 'disable')) });
    try {
      expect(await database.ping()).toBe(true);
    } finally {
      await database.close();
    }
  });

  it('prints one line and exits 1 from the command line', async () => {
    const res = await runCli(['token', 'list'], { DATABASE_URL: urlWith((u) => (u.pathname = '/rapport_no_such_db')) });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^rapport: database "rapport_no_such_db" does not exist/);
  });
});
