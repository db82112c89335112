// The repositories, one per area, over one database. Each takes a Db or a transaction.
import type { Database } from './database.js';

export interface Store {
  database: Database;
}

export function createStore(database: Database): Store {
  return { database };
}
