// Bounded work per message (issue 11): one signed webhook whose text is a single 1 MB token once
// froze the whole process for minutes. While such messages are accepted, captured and analyzed,
// /healthz keeps answering: every answer is timed in-process, so any blocking of the event loop
// shows up as a slow answer.
import { randomBytes } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelsOf } from '../../src/channels/index.js';
import { communications } from '../../src/store/schema/index.js';
import { signedPost } from '../webhook/signed-post.js';
import { apiHarness, type ApiHarness } from './api-harness.js';

const secret = 'whsec_bounded_work_secret_01';
let h: ApiHarness;

beforeAll(async () => {
  h = await apiHarness({ RAPPORT_WEBHOOK_SOURCES: `bulk:generic:${secret}`, RAPPORT_BODY_LIMIT: String(2 * 1024 * 1024) });
  // One ordinary message first: modules load on first use and analysis threads start, once per
  // process; what is timed below is the big message itself.
  const warm = await signedPost(h.app, { source: 'bulk', secret, body: JSON.stringify({ id: 'warm-up', from: { email: 'bulk.sender@example.org' }, text: 'Warm up 预热' }) });
  expect(warm.statusCode).toBe(202);
  await channelsOf(h.ctx).worker.drain();
});

afterAll(async () => h?.close());

/**
 * Asks /healthz every `everyMs` until `work` settles. A latency runs from when the question was due
 * (its timer's time) to the answer, so the loop being blocked between two questions counts too.
 */
async function healthzWhile<T>(work: Promise<T>, everyMs = 5): Promise<{ result: T; latencies: number[] }> {
  const latencies: number[] = [];
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  const probe = (async () => {
    while (!done) {
      const due = performance.now() + everyMs;
      await new Promise((r) => setTimeout(r, everyMs));
      const res = await h.app.inject({ method: 'GET', url: '/healthz' });
      latencies.push(performance.now() - due);
      expect(res.statusCode).toBe(200);
    }
  })();
  const result = await settled;
  await probe;
  return { result, latencies };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('/healthz while 1 MB single-token messages are processed', () => {
  it('answers within 100 ms (median) and is never blocked for a second', async () => {
    const tokens = [
      'A'.repeat(999_000), // froze the process for more than 8 minutes before tokens were bounded
      ...Array.from({ length: 3 }, () => randomBytes(745_000).toString('base64')),
    ];
    const { result: ids, latencies } = await healthzWhile(
      (async () => {
        const ids: string[] = [];
        for (const [i, token] of tokens.entries()) {
          const body = JSON.stringify({ id: `token-${i}`, from: { email: 'bulk.sender@example.org' }, subject: token.slice(0, 2_000), text: token });
          expect(body.length).toBeGreaterThan(990_000);
          const res = await signedPost(h.app, { source: 'bulk', secret, body });
          expect(res.statusCode, res.body).toBe(202);
          ids.push((res.json() as { id: string }).id);
          await channelsOf(h.ctx).worker.drain();
        }
        return ids;
      })(),
    );
    const rows = await h.database.db.select({ flags: communications.flags }).from(communications).where(inArray(communications.id, ids));
    expect(rows).toHaveLength(tokens.length);
    for (const row of rows) expect(row.flags).toContain('truncated');
    // At least one answer per message: each message's analysis runs on a thread while this loop is
    // free to ask.
    expect(latencies.length).toBeGreaterThanOrEqual(tokens.length);
    // 100 ms is the goal for the typical answer where the SQL runs in the database server. Embedded
    // PGlite runs its SQL on this thread (about 30 ms a statement for such a message on a quiet
    // machine, several times that on two cores shared by four test files), and the four messages
    // take a few tenths of a second, so most answers here wait behind a statement: the typical
    // answer is bounded by a few statements, not by 100 ms. The slowest answer's bound is for both:
    // no blocked loop.
    expect(median(latencies)).toBeLessThan(h.database.pglite ? 500 : 100);
    expect(Math.max(...latencies)).toBeLessThan(1_000);
  });
});
