// The rows of a raw `db.execute()`: node-postgres and PGlite both answer `{ rows }`, which
// drizzle's declared type does not say.
import type { SQL } from 'drizzle-orm';
import type { DbOrTx } from './database.js';

/** The rows of a raw execute() result. */
export const rowsOf = <T>(result: unknown): T[] => (result as { rows?: T[] }).rows ?? (result as T[]);

/** Runs a raw query and returns its rows. */
export const queryRows = async <T>(db: DbOrTx, query: SQL): Promise<T[]> => rowsOf<T>(await db.execute(query));
