// Nothing accepted is ever lost: `rapport serve` is killed with SIGKILL while signed webhooks pour
// in, started again, and the sender retries everything it did not get an answer for (and, to be
// sure, everything else too). Every message ends up captured exactly once, and every id a sender
// was given is the id of the stored message — on PGlite and on PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { signatureHeaderValue } from '../../adapters/webhook/signature.js';
import { openDatabase } from '../../src/store/database.js';
import { createTestDatabase, prepareTestDataDir, testDbKind, type TestDatabase } from '../helpers/database.js';
import { rapportBin } from '../helpers/rapport-bin.js';

const root = join(import.meta.dirname, '../..');
const secret = 'whsec_kill_nine_test_secret_01';

function startServe(env: NodeJS.ProcessEnv): { child: ChildProcess; url: Promise<string>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [rapportBin, 'serve', '--port', '0'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', RAPPORT_JOBS: 'off', RAPPORT_WEBHOOK_SOURCES: `shop:generic:${secret}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`serve exited (${code}): ${stderr.slice(-2000)}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, url, exited };
}

function body(i: number): string {
  return JSON.stringify({ id: `order-${i}`, from: { email: `buyer${i % 40}@shop${i % 7}.example`, name: `Buyer ${i}` }, subject: `Order ${i}`, text: `订单 ${i} 还没有发货，请帮忙查一下。 Where is order ${i}?` });
}

async function deliver(url: string, i: number): Promise<{ id: string; status: string } | null> {
  const payload = body(i);
  try {
    const res = await fetch(`${url}/webhooks/shop`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-rapport-signature': signatureHeaderValue(secret, payload) },
      body: payload,
    });
    if (res.status !== 202) return null;
    return (await res.json()) as { id: string; status: string };
  } catch {
    return null; // the server died under us: no answer, the sender will retry
  }
}

describe(`the inbox across kill -9 (${testDbKind})`, () => {
  it('captures every accepted message exactly once after the server is killed mid-stream and restarted', async () => {
    let database: TestDatabase | null = null;
    let dataDir: string | null = null;
    let env: NodeJS.ProcessEnv;
    if (testDbKind === 'postgres') {
      database = await createTestDatabase();
      env = { DATABASE_URL: database.url };
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'rapport-kill9-'));
      await prepareTestDataDir(dataDir);
      env = { RAPPORT_DATA_DIR: dataDir };
    }
    const n = 200;
    const answers = new Map<number, { id: string; status: string }>();
    try {
      // First life: deliveries from 8 senders at once; SIGKILL once a third has been answered.
      const first = startServe(env);
      const url = await first.url;
      let next = 0;
      let killed = false;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < n && !killed) {
            const i = next++;
            const a = await deliver(url, i);
            if (a) answers.set(i, a);
            if (answers.size >= n / 3 && !killed) {
              killed = true;
              first.child.kill('SIGKILL');
            }
          }
        }),
      );
      await first.exited;
      expect(answers.size).toBeGreaterThan(0);
      expect(answers.size).toBeLessThan(n);

      // Second life: the sender sends everything again (answered or not).
      const second = startServe(env);
      const url2 = await second.url;
      const again = new Map<number, { id: string; status: string }>();
      for (let start = 0; start < n; start += 10) {
        await Promise.all(
          Array.from({ length: Math.min(10, n - start) }, async (_, k) => {
            const a = await deliver(url2, start + k);
            expect(a).not.toBeNull();
            again.set(start + k, a!);
          }),
        );
      }
      // An id given before the kill is given again, as a duplicate.
      for (const [i, a] of answers) expect(again.get(i)).toEqual({ id: a.id, status: 'duplicate' });
      // Wait until the inbox is drained.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const ready = (await (await fetch(`${url2}/readyz`)).json()) as { inbox: { pending: number } };
        if (ready.inbox.pending === 0) break;
        if (Date.now() > deadline) throw new Error(`inbox not drained: ${ready.inbox.pending} pending`);
        await new Promise((r) => setTimeout(r, 200));
      }
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);

      const check = database ?? (await openDatabase({ dataDir: dataDir! }));
      try {
        const rows = (await check.db.execute(sql`select id, external_id from communications where channel = 'webhook' order by external_id`)) as unknown as { rows: { id: string; external_id: string }[] };
        const byExternal = new Map(rows.rows.map((r) => [r.external_id, r.id]));
        expect(rows.rows).toHaveLength(n);
        for (let i = 0; i < n; i++) expect(byExternal.get(`shop:order-${i}`)).toBe(again.get(i)!.id);
        const inbox = (await check.db.execute(sql`select status, count(*)::int as n from inbox group by status`)) as unknown as { rows: { status: string; n: number }[] };
        expect(inbox.rows.filter((r) => r.status === 'pending' || r.status === 'failed')).toEqual([]);
      } finally {
        if (!database) await check.close();
      }
    } finally {
      await database?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
