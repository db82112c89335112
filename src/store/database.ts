// Opens the one store Rapport runs on: embedded PGlite (data under RAPPORT_DATA_DIR) when no
// DATABASE_URL is given, a PostgreSQL server when it is. Same schema, same migrations, same queries.
// On a server, reads that may be a moment old can go to a streaming replica (read-replica.ts).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { RapportError } from '../core/errors.js';
import { connectionError } from './connection-errors.js';
import { ReplicaRoutingPool, type ReadReplicaOptions, type ReadTarget } from './read-replica.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; every repository function accepts either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  /** The primary: every write, and every read that must see a write just made. */
  readonly db: Db;
  /**
   * For reads that may be up to the replica lag bound old (lookups, search, lists, the dashboard,
   * digests): the read replica while it is healthy, else the primary. `db` itself without a replica.
   */
  readonly readDb: Db;
  /** Where `readDb` reads go now ('primary' without a replica). */
  readsFrom(): ReadTarget;
  readonly kind: 'pglite' | 'postgres';
  /** Where the data lives, for messages: a directory, 'memory', or the server URL without password. */
  readonly location: string;
  /** The PGlite instance when embedded (jobs expose it over a socket), else null. */
  readonly pglite: PGlite | null;
  /** The pg pool when on a server (or on PGlite shared by `rapport serve`), else null. */
  readonly pool: pg.Pool | null;
  migrate(): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * PGlite runs PostgreSQL's defaults, sized for a server: shared_buffers of 128 MB, all of it
 * resident once touched. The embedded database serves one process and its data files sit in the
 * OS page cache anyway, so 32 MB of buffers keeps an idle `rapport serve` about 100 MB smaller
 * (BENCHMARKS.md, memory) and opens a little faster.
 */
export const pgliteSettings: readonly string[] = ['-c', 'shared_buffers=32MB'];

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /**
   * A PGlite database another process shares on a Unix socket in this directory (`rapport
   * serve`, see data-dir.ts): reached with `pg`, but still the embedded database of `dataDir`.
   */
  socketDir?: string | undefined;
  /** Directory for PGlite; 'memory://' for an in-memory database (tests). */
  dataDir?: string;
  /**
   * A new PGlite database starts as a copy of this dump (PGlite's `dumpDataDir`) instead of being
   * created from nothing: 1.5 s instead of 4–6 s, which the tests pay for every database they make.
   * Ignored when the directory already holds a database.
   */
  template?: Blob | undefined;
  poolSize?: number;
  /**
   * PostgreSQL parallel workers per query on our connections (`max_parallel_workers_per_gather`),
   * 0 by default: Rapport's queries are short and index-bounded, and starting workers for them
   * cost more than it saved (console customer search at 100,000 customers: 80 ms with the
   * server's default 2, 8 ms with none, on 2 cores). An `options` parameter in the URL wins.
   */
  parallelWorkers?: number | undefined;
  /** A streaming replica for `readDb` (servers only: ignored for PGlite, which has no replicas). */
  readReplica?: ReadReplicaOptions | undefined;
}

// numeric columns come back as strings by default on both drivers; keep that (money stays exact).
// Each driver is loaded when it is used: PGlite alone is ~40 MB and ~0.4 s of start-up that a
// process on a PostgreSQL server never needs, and a one-shot command on PGlite needs no `pg`.
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl || opts.socketDir) {
    const [{ default: pg }, { drizzle: drizzlePg }, { migrate: migratePg }] = await Promise.all([
      import('pg'),
      import('drizzle-orm/node-postgres'),
      import('drizzle-orm/node-postgres/migrator'),
    ]);
    const connection = opts.socketDir
      ? { host: opts.socketDir, port: 5432, user: 'postgres', database: 'postgres' }
      : { connectionString: opts.databaseUrl, options: `-c max_parallel_workers_per_gather=${opts.parallelWorkers ?? 0}` };
    const serverPool = poolMaker(pg);
    const pool = serverPool(connection, opts.poolSize ?? 10);
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    const location = opts.socketDir ? (opts.dataDir ?? './data') : redactUrl(opts.databaseUrl!);
    const replica = opts.readReplica && !opts.socketDir
      ? new ReplicaRoutingPool(pool, serverPool({ connectionString: opts.readReplica.url, options: `-c max_parallel_workers_per_gather=${opts.parallelWorkers ?? 0}` }, opts.readReplica.poolSize ?? opts.poolSize ?? 10, 2000), opts.readReplica)
      : null;
    return {
      db,
      readDb: replica ? (drizzlePg(replica as unknown as pg.Pool, { schema }) as unknown as Db) : db,
      readsFrom: () => replica?.current() ?? 'primary',
      kind: opts.socketDir ? 'pglite' : 'postgres',
      location,
      pglite: null,
      pool,
      // The first statement at start: a server that cannot be reached or used says why in one line.
      migrate: () =>
        migratePg(db as never, { migrationsFolder }).catch((e: unknown) => {
          throw (opts.databaseUrl && connectionError(e, location)) || e;
        }),
      ping: () => ping(db),
      close: once(async () => {
        await replica?.end();
        await pool.end();
      }),
    };
  }
  const dataDir = opts.dataDir ?? './data';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const fresh = dataDir.startsWith('memory://') || !existsSync(join(dataDir, 'PG_VERSION'));
  // A new database on disk is created by a process of its own (pglite-create.mjs): this one then
  // opens it as it would after a restart, without initdb's memory (see that file).
  if (fresh && !dataDir.startsWith('memory://') && !opts.template) await createInProcessOfItsOwn(dataDir);
  const [{ PGlite }, { pg_trgm }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  // pg_trgm ships with PGlite as with PostgreSQL: name lookups use the same trigram indexes on both.
  const client = await PGlite.create(dataDir, {
    extensions: { pg_trgm },
    startParams: [...PGlite.defaultStartParams, ...pgliteSettings],
    ...(opts.template && fresh ? { loadDataDir: opts.template } : {}),
  });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    readDb: db,
    readsFrom: () => 'primary',
    kind: 'pglite',
    location: dataDir.startsWith('memory://') ? 'memory' : dataDir,
    pglite: client,
    pool: null,
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    ping: () => ping(db),
    // An instance already closed (it crashed, or a test took it away) is closed: nothing to do.
    close: once(async () => {
      if (!client.closed) await client.close();
    }),
  };
}

const run = promisify(execFile);

async function createInProcessOfItsOwn(dataDir: string): Promise<void> {
  const script = fileURLToPath(new URL('./pglite-create.mjs', import.meta.url));
  try {
    await run(process.execPath, [script, dataDir], { maxBuffer: 1 << 20 });
  } catch (e) {
    const why = String((e as { stderr?: unknown }).stderr ?? '').trim().split('\n').at(-1) || (e as Error).message;
    throw new RapportError(
      'unavailable',
      `could not create the embedded database in ${dataDir}: ${why}. Give RAPPORT_DATA_DIR an empty directory Rapport may write to (or one that holds a Rapport database).`,
      { dataDir },
      { cause: e },
    );
  }
}

/** Pools of the `pg` module loaded by openDatabase (only a process on a server loads it). */
const poolMaker = (driver: typeof pg) => (connection: pg.PoolConfig, max: number, connectionTimeoutMillis = 5000): pg.Pool => {
  const pool = new driver.Pool({ ...connection, max, connectionTimeoutMillis });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', (err) => releaseBroken(client, err)));
  return pool;
};

/**
 * A connection that drops while its client is checked out: the pool listens for errors only on idle
 * clients, so without this the 'error' would crash the process. Worse, drizzle's transaction()
 * never releases a client whose BEGIN failed (it runs before its try/finally), so after a database
 * restart every stale client would leak until the pool is exhausted and the service never
 * recovers. So the broken client is given back (and discarded) at once; the holder's own release
 * later is a no-op. An idle client also has the pool's listener, which removes it.
 */
function releaseBroken(client: pg.PoolClient, err: Error): void {
  if (client.listenerCount('error') > 1) return;
  const release = client.release;
  client.release = () => {};
  try {
    release(err);
  } catch {
    // Already released: nothing to give back.
  }
}

async function ping(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}

/** Closing twice (a context and its owner both do at shutdown) ends the connection once. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
