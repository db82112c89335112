// The one place that builds Rapport's dependencies from configuration. HTTP, CLI and jobs all take
// an AppContext; tests build one around a test database.
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { createSharedState, type SharedState } from './shared-state/index.js';
import { openDatabase, redactUrl, type Database } from './store/database.js';
import type { ReadRouteChange } from './store/read-replica.js';
import { createStore, type Store } from './store/index.js';
import { migrationState } from './store/migration-state.js';

export interface AppContext {
  config: Config;
  log: Logger;
  database: Database;
  store: Store;
  /** State shared with the other instances (Redis when REDIS_URL is set, else this process's own). */
  shared: SharedState;
  /** Runs `fn` first when the context closes (workers that use the database stop before it goes). */
  onClose(fn: () => Promise<void>): void;
  close(): Promise<void>;
}

export async function createContext(config: Config, log: Logger, database?: Database): Promise<AppContext> {
  const db =
    database ??
    (await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.RAPPORT_DATA_DIR,
      parallelWorkers: config.RAPPORT_PG_PARALLEL_WORKERS,
      readReplica: config.DATABASE_READ_URL
        ? { url: config.DATABASE_READ_URL, maxLagMs: config.RAPPORT_READ_MAX_LAG_MS, onChange: logReadRoute(log, redactUrl(config.DATABASE_READ_URL), config.RAPPORT_READ_MAX_LAG_MS) }
        : undefined,
    }));
  // Every command opens a context: when the database is current (almost always) one select says
  // so, instead of drizzle's migrator creating its schema and table "if not exists" every time.
  if ((await migrationState(db.db)).pending.length > 0) await db.migrate();
  const store = createStore(db);
  const shared = createSharedState(config, log);
  // Shared by contexts derived with other settings ({ ...ctx, config }), so closing stops theirs too.
  const hooks: (() => Promise<void>)[] = [];
  let closing: Promise<void> | null = null;
  return {
    config,
    log,
    database: db,
    store,
    shared,
    onClose: (fn) => void hooks.push(fn),
    close: () =>
      (closing ??= (async () => {
        for (const fn of hooks.splice(0).reverse()) {
          await fn().catch((e: unknown) => log.warn({ err: e }, 'a worker did not stop cleanly'));
        }
        await shared.close();
        await db.close();
      })()),
  };
}

/** One line each time reads move between the replica and the primary (the URL without password). */
export function logReadRoute(log: Logger, replica: string, maxLagMs: number): (change: ReadRouteChange) => void {
  const l = log.child({ component: 'read-replica', replica });
  return (change) => {
    if (change.to === 'replica') l.info('reads are back on the read replica');
    else if (change.reason === 'lag') l.warn({ lagMs: change.lagMs, maxLagMs }, 'the read replica lags beyond RAPPORT_READ_MAX_LAG_MS: reads go to the primary until it catches up');
    else l.warn({ code: change.code }, 'the read replica cannot be reached: reads go to the primary until it answers');
  };
}
