// Reads that may be a moment old (lookups, search, lists, the dashboard, digests) go to a streaming
// replica (DATABASE_READ_URL) while it answers and is close behind the primary; otherwise to the
// primary, so nobody sees an error or data older than the bound because of the replica.
//
// How far behind: asked of the replica at most once per `checkEveryMs`, in one cheap query. A
// replica that has replayed all it received from a live WAL stream is current (lag 0). Otherwise
// the lag is the time since it last replayed a commit — an overestimate right after an idle spell
// (the last commit was long ago even if the replica is only milliseconds behind), so it is capped by
// the time since this process last saw it caught up. A replica briefly behind after a quiet hour is
// not sent away for nothing; one that fell behind for good is left within the bound plus a check;
// one that comes back after an outage is judged by its last commit until it has caught up.
import type pg from 'pg';
import { isDatabaseUnavailable } from './database-errors.js';

export type ReadTarget = 'replica' | 'primary';

export interface ReadRouteChange {
  to: ReadTarget;
  /** Why reads moved: the replica lags beyond the bound, cannot be reached, or is healthy again. */
  reason: 'lag' | 'unreachable' | 'recovered';
  lagMs?: number;
  /** The error code (SQLSTATE or Node's) when the replica could not be reached; never its message. */
  code?: string;
}

export interface ReadReplicaOptions {
  url: string;
  /** Reads leave a replica further behind than this (ms). */
  maxLagMs: number;
  /** How often (at most) the replica's lag is asked, in ms. */
  checkEveryMs?: number;
  poolSize?: number;
  /** Told when reads move (once per move, so the log has one line per outage, not one per read). */
  onChange?: (change: ReadRouteChange) => void;
}

/** The replica's own view of how far behind it is, in one round trip. */
const LAG_QUERY = `select pg_is_in_recovery() as standby,
  exists (select 1 from pg_stat_wal_receiver) as streaming,
  coalesce(pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn(), false) as replayed_all,
  extract(epoch from now() - pg_last_xact_replay_timestamp()) * 1000 as since_commit_ms`;

interface LagRow {
  standby: boolean;
  streaming: boolean;
  replayed_all: boolean;
  since_commit_ms: string | number | null;
}

/** SQLSTATE 40001 on a standby: replay had to cancel this query. The primary answers it instead. */
const isRecoveryConflict = (e: unknown, depth = 0): boolean => {
  const err = e as { code?: string; message?: string; cause?: unknown } | undefined;
  if (!err || depth > 3) return false;
  if (err.code === '40001' && /conflict with recovery/i.test(err.message ?? '')) return true;
  return err.cause !== undefined && err.cause !== e && isRecoveryConflict(err.cause, depth + 1);
};

const codeOf = (e: unknown): string | undefined => {
  for (let x = e as { code?: unknown; cause?: unknown } | undefined, i = 0; x && i < 4; x = x.cause as typeof x, i++) {
    if (typeof x.code === 'string') return x.code;
  }
  return undefined;
};

/**
 * What drizzle's node-postgres driver is given for reads: a pool-like object (its class name has
 * "Pool", so drizzle's transaction() checks a client out with connect()) that sends each query to
 * the replica or the primary. A read the replica fails because it went away is retried on the
 * primary at once, so the caller never sees the outage.
 */
export class ReplicaRoutingPool {
  readonly replica: pg.Pool;
  private target: ReadTarget = 'primary';
  private checkedAt = 0;
  private checking: Promise<void> | null = null;
  private decided = false;
  /** When the replica was last seen caught up with a live WAL stream (null: not since it was unreachable). */
  private caughtUpAt: number | null = null;
  private readonly checkEveryMs: number;

  constructor(
    private readonly primary: pg.Pool,
    replica: pg.Pool,
    private readonly opts: ReadReplicaOptions,
  ) {
    this.replica = replica;
    this.checkEveryMs = opts.checkEveryMs ?? 1000;
  }

  /** Where reads go now. */
  current(): ReadTarget {
    return this.target;
  }

  query(config: unknown, values?: unknown): Promise<pg.QueryResult> {
    return this.route((pool) => pool.query(config as pg.QueryConfig, values as unknown[]));
  }

  connect(): Promise<pg.PoolClient> {
    return this.route((pool) => pool.connect());
  }

  private async route<T>(run: (pool: pg.Pool) => Promise<T>): Promise<T> {
    if ((await this.choose()) === 'primary') return run(this.primary);
    try {
      return await run(this.replica);
    } catch (e) {
      if (isDatabaseUnavailable(e)) this.moveTo('primary', { reason: 'unreachable', code: codeOf(e) });
      else if (!isRecoveryConflict(e)) throw e;
      return run(this.primary);
    }
  }

  /** The target, asking the replica again when the last answer is older than checkEveryMs. */
  private async choose(): Promise<ReadTarget> {
    if (Date.now() - this.checkedAt >= this.checkEveryMs && !this.checking) {
      this.checking = this.check().finally(() => {
        this.checkedAt = Date.now();
        this.checking = null;
      });
    }
    // Only the first read waits for an answer; later ones use the last one while a check runs.
    if (!this.decided && this.checking) await this.checking;
    return this.target;
  }

  private async check(): Promise<void> {
    let row: LagRow;
    try {
      const res = await this.replica.query<LagRow>({ text: LAG_QUERY, query_timeout: Math.max(1000, this.checkEveryMs * 2) } as pg.QueryConfig);
      row = res.rows[0]!;
    } catch (e) {
      this.caughtUpAt = null;
      this.moveTo('primary', { reason: 'unreachable', code: codeOf(e) });
      return;
    }
    const lagMs = this.lagOf(row);
    if (lagMs > this.opts.maxLagMs) this.moveTo('primary', { reason: 'lag', lagMs: Math.round(lagMs) });
    else this.moveTo('replica', { reason: 'recovered' });
  }

  private lagOf(row: LagRow): number {
    // A server that is not a standby (a primary, a logical copy) is as fresh as it gets.
    if (!row.standby) return 0;
    const now = Date.now();
    if (row.streaming && row.replayed_all) {
      this.caughtUpAt = now;
      return 0;
    }
    const sinceCommit = row.since_commit_ms === null ? Infinity : Number(row.since_commit_ms);
    // It held everything when last seen caught up, so it is at most that far behind.
    return this.caughtUpAt === null ? sinceCommit : Math.min(sinceCommit, now - this.caughtUpAt);
  }

  private moveTo(to: ReadTarget, change: Omit<ReadRouteChange, 'to'>): void {
    const first = !this.decided;
    this.decided = true;
    if (to === this.target && !(first && to === 'primary')) return;
    this.target = to;
    this.checkedAt = Date.now();
    // The first answer is news only when it is bad; a healthy replica at start needs no line.
    if (first && to === 'replica') return;
    this.opts.onChange?.({ to, ...change });
  }

  async end(): Promise<void> {
    await this.checking?.catch(() => {});
    await this.replica.end();
  }
}
