// The one place that builds Rapport's dependencies from configuration. HTTP, CLI and jobs all take
// an AppContext; tests build one around a test database.
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { createSharedState, type SharedState } from './shared-state/index.js';
import { openDatabase, type Database } from './store/database.js';
import { createStore, type Store } from './store/index.js';

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
  const db = database ?? (await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.RAPPORT_DATA_DIR }));
  await db.migrate();
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
          await fn().catch((e: unknown) => log.warn({ err: { message: (e as Error).message } }, 'a worker did not stop cleanly'));
        }
        await shared.close();
        await db.close();
      })()),
  };
}
