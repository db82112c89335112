// The one place that builds Rapport's dependencies from configuration. HTTP, CLI and jobs all take
// an AppContext; tests build one around a test database.
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { openDatabase, type Database } from './store/database.js';
import { createStore, type Store } from './store/index.js';

export interface AppContext {
  config: Config;
  log: Logger;
  database: Database;
  store: Store;
  close(): Promise<void>;
}

export async function createContext(config: Config, log: Logger, database?: Database): Promise<AppContext> {
  const db = database ?? (await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.RAPPORT_DATA_DIR }));
  await db.migrate();
  const store = createStore(db);
  return {
    config,
    log,
    database: db,
    store,
    close: () => db.close(),
  };
}
