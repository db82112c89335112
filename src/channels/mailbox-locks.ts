// Which instance watches a mailbox: the one holding a session advisory lock for it, on a connection
// of its own (outside the query pool). Every instance may be configured with the same mailboxes;
// one watches each, the others stand by, and a process that dies lets its locks go with its
// connection. The embedded database has one process, which always watches.
import pg from 'pg';
import type { Database } from '../store/database.js';

export interface MailboxLocks {
  /** True when this process holds (or now took) the lock for this mailbox. */
  take(mailboxId: string): Promise<boolean>;
  /** Lets another instance have it. */
  release(mailboxId: string): Promise<void>;
  /** Called once when the connection holding the locks is lost: every lock of it is gone. */
  onLost(fn: () => void): void;
  close(): Promise<void>;
}

const keyOf = (mailboxId: string) => `rapport:imap-watch:${mailboxId}`;

export function mailboxLocks(database: Pick<Database, 'pool'>): MailboxLocks {
  const pool = database.pool;
  if (!pool) return { take: async () => true, release: async () => {}, onLost: () => {}, close: async () => {} };
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  const held = new Set<string>();
  const lostHandlers: (() => void)[] = [];

  const lose = (c: pg.Client) => {
    if (client !== c) return;
    client = null;
    held.clear();
    lostHandlers.forEach((fn) => fn());
  };
  const connection = async (): Promise<pg.Client> => {
    if (client) return client;
    connecting ??= (async () => {
      const c = new pg.Client({ ...(pool.options as pg.ClientConfig), connectionTimeoutMillis: 5_000 });
      c.on('error', () => lose(c));
      c.on('end', () => lose(c));
      try {
        await c.connect();
      } catch (e) {
        await c.end().catch(() => {});
        throw e;
      }
      client = c;
      return c;
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  return {
    async take(mailboxId) {
      if (held.has(mailboxId)) return true;
      const c = await connection();
      const { rows } = await c.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [keyOf(mailboxId)]);
      if (rows[0]?.ok && client === c) held.add(mailboxId);
      return held.has(mailboxId);
    },
    async release(mailboxId) {
      if (!held.delete(mailboxId) || !client) return;
      await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [keyOf(mailboxId)]).catch(() => {});
    },
    onLost(fn) {
      lostHandlers.push(fn);
    },
    async close() {
      const c = client;
      client = null;
      held.clear();
      // Ending the session releases its advisory locks.
      await c?.end().catch(() => {});
    },
  };
}
