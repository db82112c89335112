// Which instance drains the inbox: the one holding a session advisory lock on a connection of its
// own (outside the query pool, which it would otherwise hold one client of forever). The lock goes
// with the connection — a process that dies lets another take over at once. The embedded database
// has one process (one writer per data directory), which always leads.
import pg from 'pg';
import type { Database } from '../store/database.js';
import type { Logger } from '../log.js';

export interface Leadership {
  /**
   * Takes a share of the leader lock: true when this process leads (the lock was free, or is held
   * here already). Every true is paired with a release().
   */
  acquire(): Promise<boolean>;
  /** Gives a share back; the lock is let go when no share is left. */
  release(): Promise<void>;
  /** False once the lock's connection was lost (shares taken before it are void). */
  held(): boolean;
}

const LEADER_KEY = 'rapport:capture-leader';

const perDatabase = new WeakMap<object, Leadership>();

/** The leadership of this process on this database: shared by every channel set that uses it. */
export function workerLeadership(database: Pick<Database, 'pool'>, log: Logger): Leadership {
  let l = perDatabase.get(database);
  if (!l) {
    l = createLeadership(database, log);
    perDatabase.set(database, l);
  }
  return l;
}

function createLeadership(database: Pick<Database, 'pool'>, log: Logger): Leadership {
  const pool = database.pool;
  if (!pool) return { acquire: async () => true, release: async () => {}, held: () => true };
  let client: pg.Client | null = null;
  let shares = 0;
  let lost = false;
  let refusedAt = 0;
  let taking: Promise<boolean> | null = null;

  const take = async (): Promise<boolean> => {
    // Another instance leads: ask again now and then, not on every poll.
    if (Date.now() - refusedAt < 2_000) return false;
    const c = new pg.Client({ ...(pool.options as pg.ClientConfig), connectionTimeoutMillis: 5_000 });
    c.on('error', () => {
      lost = true;
    });
    try {
      await c.connect();
      const { rows } = await c.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [LEADER_KEY]);
      if (!rows[0]?.ok) {
        refusedAt = Date.now();
        await c.end();
        return false;
      }
    } catch (e) {
      await c.end().catch(() => {});
      throw e;
    }
    c.on('end', () => {
      lost = true;
    });
    lost = false;
    client = c;
    return true;
  };

  return {
    async acquire() {
      if (client && lost) {
        log.warn('capture leader lock lost with its connection; taking it again when free');
        client = null;
        shares = 0;
      }
      if (!client) {
        taking ??= take().finally(() => {
          taking = null;
        });
        if (!(await taking)) return false;
      }
      shares += 1;
      return true;
    },
    async release() {
      shares = Math.max(0, shares - 1);
      if (shares > 0 || !client) return;
      const c = client;
      client = null;
      // Ending the session releases its advisory lock.
      await c.end().catch(() => {});
    },
    held: () => client !== null && !lost,
  };
}
