import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { startScheduler, type JobSpec, type Scheduler } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/log.js';
import { sql } from 'drizzle-orm';
import { createTestDatabase, testDbKind, type TestDatabase } from '../helpers/database.js';

const until = async (cond: () => boolean | Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
};

describe('scheduler', () => {
  let database: TestDatabase;
  let ctx: AppContext;
  beforeAll(async () => {
    database = await createTestDatabase();
    ctx = await createContext(loadConfig({}), createLogger('silent'), database);
  });
  afterAll(async () => {
    await database.close();
  });

  it('runs each queued job exactly once with two instances on one database', async () => {
    const runs: string[] = [];
    const spec = (instance: string): JobSpec<{ n: number }> => ({
      name: 'count',
      description: 'records which instance ran it',
      run: async (_ctx, data) => {
        runs.push(`${instance}:${data.n}`);
      },
    });
    const a = await startScheduler(ctx, [spec('a') as JobSpec<never>], { instance: 'a', pollMs: 200 });
    const b = await startScheduler(ctx, [spec('b') as JobSpec<never>], { instance: 'b', pollMs: 200 });
    try {
      for (let n = 0; n < 10; n++) await a.now('count', { n });
      await until(() => runs.length >= 10);
      await new Promise((r) => setTimeout(r, 1000));
      const ns = runs.map((r) => Number(r.split(':')[1])).sort((x, y) => x - y);
      expect(ns).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('retries a failing job with backoff and shows the failure in the job list', async () => {
    let attempts = 0;
    const flaky: JobSpec = {
      name: 'flaky',
      description: 'fails twice, then succeeds',
      retries: 3,
      retryDelayMs: 200,
      run: async () => {
        attempts++;
        if (attempts <= 2) throw new Error(`attempt ${attempts} failed`);
      },
    };
    const s: Scheduler = await startScheduler(ctx, [flaky as JobSpec<never>], { pollMs: 100 });
    try {
      await s.now('flaky');
      await until(async () => (await s.list({ name: 'flaky' })).some((j) => j.failCount >= 1));
      const failed = (await s.list({ name: 'flaky' }))[0]!;
      expect(failed.failReason).toMatch(/attempt \d failed/);
      await until(() => attempts >= 3);
      await until(async () => (await s.list({ name: 'flaky' })).every((j) => j.lastFinishedAt !== null && j.state === 'completed'));
      expect(attempts).toBe(3);
    } finally {
      await s.stop();
    }
  });

  it('keeps running jobs when its notification connection is killed (PostgreSQL), or by polling (PGlite)', async () => {
    let runs = 0;
    const s = await startScheduler(ctx, [{ name: 'tick', description: 'counts', run: async () => void runs++ } as JobSpec<never>], { pollMs: 200 });
    try {
      if (testDbKind === 'postgres') {
        const killed = await ctx.database.db.execute(
          sql`select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`,
        );
        expect((killed as unknown as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
      }
      await s.now('tick');
      await until(() => runs >= 1);
      expect(runs).toBe(1);
    } finally {
      await s.stop();
    }
  });

  it('refuses to queue a job it does not know, naming the ones it does', async () => {
    const s = await startScheduler(ctx, [], { process: false });
    try {
      await expect(s.now('nope')).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      await s.stop();
    }
  });
});
