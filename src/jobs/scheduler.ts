// The scheduler: agenda 6 with its PostgreSQL backend (this folder is the only one that imports
// Agenda). Any number of service instances may run on one database; Agenda's row locks
// (FOR UPDATE SKIP LOCKED) make each job run once. A failing job is retried with exponential
// backoff and stays visible, with its failure, in `rapport jobs list`.
import type { EventEmitter } from 'node:events';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { Agenda, backoffStrategies } from 'agenda';
import type { AppContext } from '../context.js';
import { RapportError } from '../core/errors.js';
import { openJobConnection, type JobConnection } from './job-connection.js';

export interface JobSpec<D = Record<string, unknown>> {
  name: string;
  description: string;
  run(ctx: AppContext, data: D): Promise<void>;
  /** Recurring jobs: an interval ('1 minute') or a cron expression. */
  every?: string;
  /** Retries after a failure (exponential backoff from `retryDelayMs`). */
  retries?: number;
  retryDelayMs?: number;
}

export interface JobRow {
  id: string;
  name: string;
  state: string;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastFinishedAt: string | null;
  failCount: number;
  failReason: string | null;
  data: unknown;
}

export interface Scheduler {
  /** Queue a job to run as soon as a worker is free. */
  now(name: string, data?: Record<string, unknown>): Promise<void>;
  list(opts?: { name?: string }): Promise<JobRow[]>;
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  /** Process jobs here (false: only schedule/list, e.g. from the CLI). */
  process?: boolean;
  /** Instance name, stored with the jobs it touches. */
  instance?: string;
  /** How often to look for due jobs when notifications are not available (PGlite). */
  pollMs?: number;
  /** How long `stop()` waits for running jobs to finish. */
  drainMs?: number;
}

export async function startScheduler(ctx: AppContext, specs: JobSpec<never>[], opts: SchedulerOptions = {}): Promise<Scheduler> {
  const connection: JobConnection = await openJobConnection(ctx.database);
  const instance = opts.instance ?? `rapport-${process.pid}`;
  const backend = new PostgresBackend({ pool: connection.pool, disableNotifications: !connection.notifications });
  // The LISTEN connection re-emits its errors on the channel (an EventEmitter); unheard, a dropped
  // connection would crash the process. The channel reconnects by itself; we only log.
  const channel = backend.notificationChannel as unknown as EventEmitter | undefined;
  channel?.on('error', (err: Error) => ctx.log.warn({ err }, 'scheduler notifications: connection lost'));
  // Agenda creates its table and indexes when it connects (CREATE … IF NOT EXISTS), which PostgreSQL
  // does not make safe against another session doing the same at that moment: instances started
  // together on a new database failed with a duplicate key in pg_class. They take turns instead.
  const turn = await schemaTurn(ctx, connection);
  const agenda = new Agenda({
    backend,
    name: instance,
    // A number: the string form ('200 milliseconds') was read as 200000 ms in agenda 6.2.
    processEvery: opts.pollMs ?? (connection.notifications ? 5000 : 1000),
    defaultLockLifetime: 10 * 60_000,
  });
  agenda.on('error', (err: Error) => ctx.log.error({ err }, 'scheduler error'));
  try {
    await agenda.ready;
  } finally {
    await turn.release();
  }

  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const spec of specs) {
    agenda.define(
      spec.name,
      async (job) => {
        const started = Date.now();
        ctx.log.debug({ job: spec.name }, 'job started');
        try {
          await spec.run(ctx, (job.attrs.data ?? {}) as never);
          ctx.log.info({ job: spec.name, ms: Date.now() - started }, 'job done');
        } catch (err) {
          ctx.log.warn({ job: spec.name, err }, 'job failed');
          throw err;
        }
      },
      {
        concurrency: 1,
        backoff: backoffStrategies.exponential({ delay: spec.retryDelayMs ?? 30_000, factor: 2, maxRetries: spec.retries ?? 5, jitter: 0.1 }),
      },
    );
  }

  if (opts.process !== false) {
    await agenda.start();
    for (const spec of specs) {
      if (spec.every) await agenda.every(spec.every, spec.name, {}, { skipImmediate: false });
    }
  }

  return {
    async now(name, data = {}) {
      if (!byName.has(name)) {
        throw new RapportError('not_found', `no job named ${name}; known: ${[...byName.keys()].join(', ')}`);
      }
      await agenda.now(name, data);
    },
    async list(o = {}) {
      const { jobs } = await agenda.queryJobs({ ...(o.name ? { name: o.name } : {}), limit: 500 });
      return jobs.map((j) => ({
        id: String(j._id),
        name: j.name,
        state: j.state,
        nextRunAt: j.nextRunAt ? new Date(j.nextRunAt).toISOString() : null,
        lastRunAt: j.lastRunAt ? new Date(j.lastRunAt).toISOString() : null,
        lastFinishedAt: j.lastFinishedAt ? new Date(j.lastFinishedAt).toISOString() : null,
        failCount: j.failCount ?? 0,
        failReason: j.failReason ?? null,
        data: j.data,
      }));
    },
    async stop() {
      if (opts.process !== false) {
        // Let running jobs finish (bounded); a job still running after that is unlocked so
        // another instance takes it over.
        const drained = await agenda.drain({ timeout: opts.drainMs ?? 15_000 });
        if (drained.timedOut) {
          ctx.log.warn({ running: drained.running }, 'jobs still running at shutdown were released to other instances');
          await agenda.stop();
        }
      } else {
        await agenda.stop();
      }
      await connection.close();
    },
  };
}

const SCHEMA_LOCK_KEY = 'rapport:agenda-schema';

/** A session advisory lock held while Agenda ensures its schema (a server only: PGlite has one process). */
async function schemaTurn(ctx: AppContext, connection: JobConnection): Promise<{ release(): Promise<void> }> {
  if (ctx.database.kind !== 'postgres') return { release: async () => {} };
  const client = await connection.pool.connect();
  try {
    await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [SCHEMA_LOCK_KEY]);
  } catch (e) {
    client.release(e as Error);
    throw e;
  }
  return {
    async release() {
      try {
        await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [SCHEMA_LOCK_KEY]);
        client.release();
      } catch (e) {
        // Dropping the connection lets the lock go with it.
        client.release(e as Error);
      }
    },
  };
}
