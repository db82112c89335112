// The one place that builds Rapport's dependencies from configuration. HTTP, CLI and jobs all take
// an AppContext; tests build one around a test database.
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { openDatabase, type Database } from './store/database.js';
import { createStore, type Store } from './store/index.js';
import { migrationState } from './store/migration-state.js';

export interface AppContext {
  config: Config;
  log: Logger;
  database: Database;
  store: Store;
  /** Runs `fn` first when the context closes (workers that use the database stop before it goes). */
  onClose(fn: () => Promise<void>): void;
  close(): Promise<void>;
}

export async function createContext(config: Config, log: Logger, database?: Database): Promise<AppContext> {
  const db = database ?? (await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.RAPPORT_DATA_DIR }));
  // Every command opens a context: when the database is current (almost always) one select says
  // so, instead of drizzle's migrator creating its schema and table "if not exists" every time.
  if ((await migrationState(db.db)).pending.length > 0) await db.migrate();
  const store = createStore(db);
  // Shared by contexts derived with other settings ({ ...ctx, config }), so closing stops theirs too.
  const hooks: (() => Promise<void>)[] = [];
  let closing: Promise<void> | null = null;
  return {
    config,
    log,
    database: db,
    store,
    onClose: (fn) => void hooks.push(fn),
    close: () =>
      (closing ??= (async () => {
        for (const fn of hooks.splice(0).reverse()) {
          await fn().catch((e: unknown) => log.warn({ err: { message: (e as Error).message } }, 'a worker did not stop cleanly'));
        }
        await db.close();
      })()),
  };
}
