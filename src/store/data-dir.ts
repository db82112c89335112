// Opening an embedded data directory, one writer at a time (see data-dir-lock.ts):
// - free: this process takes the lock and opens PGlite itself;
// - held by `rapport serve`: a CLI command reaches the same database through the server, over the
//   Unix socket the server shares it on (data-dir/run/.s.PGSQL.5432, mode 0600: only this user),
//   so what it writes is at once what the server reads — as if it were a PostgreSQL server;
// - held by anything else (or `serve` asked to start twice): refused, naming the holder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RapportError } from '../core/errors.js';
import { acquireDataDirLock, lockHolder, type DataDirLock, type LockHolder } from './data-dir-lock.js';
import { openDatabase, type Database } from './database.js';
import type { PgliteServer } from './pglite-server.js';

export interface OpenDataDirOptions {
  dataDir: string;
  /** The command this process runs (`serve`, `token create`, …), recorded in the lock for messages. */
  command: string;
  /** `rapport serve`: must own the directory, and refuses to start while anyone else does. */
  owner?: boolean;
  /** How long to wait for a starting `rapport serve` to share its database. */
  waitMs?: number;
}

export interface EmbeddedDatabase extends Database {
  /** Shares the database on the data directory's socket for CLI commands (owner only). */
  share?: () => Promise<void>;
  /** When the database is reached through a running `rapport serve`: that process. */
  via?: LockHolder;
}

// A Unix socket path is limited to ~104 bytes (macOS) / 108 (Linux).
const MAX_SOCKET_PATH = 100;

function describe(holder: LockHolder): string {
  return `rapport ${holder.command} (pid ${holder.pid})`;
}

export async function openDataDir(opts: OpenDataDirOptions): Promise<EmbeddedDatabase> {
  const dataDir = opts.dataDir;
  const taken = acquireDataDirLock(dataDir, opts.command);
  if ('lock' in taken) return openOwned(dataDir, taken.lock);

  const holder = taken.holder;
  if (opts.owner) {
    throw new RapportError('conflict', `${dataDir} is already in use by ${describe(holder)}; stop it first, or give this one another RAPPORT_DATA_DIR`, {
      pid: holder.pid,
      command: holder.command,
    });
  }
  if (holder.command !== 'serve') {
    throw new RapportError(
      'conflict',
      `${dataDir} is in use by ${describe(holder)}; wait for it to finish (an embedded database has one writer at a time), or run \`rapport serve\` and every command goes through it`,
      { pid: holder.pid, command: holder.command },
    );
  }
  const shared = await sharedBy(dataDir, holder, opts.waitMs ?? 30_000);
  const database = await openDatabase({ dataDir, socketDir: shared.socketDir!, poolSize: 4 });
  return Object.assign(database, { via: shared });
}

/** The holder once it shares its socket: a starting server migrates first. */
async function sharedBy(dataDir: string, holder: LockHolder, waitMs: number): Promise<LockHolder> {
  const deadline = Date.now() + waitMs;
  let current: LockHolder | null = holder;
  while (current && !current.socketDir) {
    if (Date.now() > deadline) {
      throw new RapportError('unavailable', `${describe(holder)} holds ${dataDir} but does not answer yet; try again in a moment`, { pid: holder.pid });
    }
    await new Promise((r) => setTimeout(r, 100));
    current = lockHolder(dataDir);
  }
  if (!current) throw new RapportError('unavailable', `${describe(holder)} stopped while this command waited for it; run the command again`, { pid: holder.pid });
  return current;
}

async function openOwned(dataDir: string, lock: DataDirLock): Promise<EmbeddedDatabase> {
  let database: Database;
  try {
    database = await openDatabase({ dataDir });
  } catch (e) {
    lock.release();
    throw e;
  }
  let server: PgliteServer | null = null;
  let privateDir: string | null = null;
  const close = database.close.bind(database);
  return Object.assign(database, {
    async share() {
      // Loaded by `rapport serve` only: a one-shot command never shares its database.
      const { servePglite, SOCKET_FILE } = await import('./pglite-server.js');
      let socketDir = join(resolve(dataDir), 'run');
      if (join(socketDir, SOCKET_FILE).length > MAX_SOCKET_PATH) {
        privateDir = mkdtempSync(join(tmpdir(), 'rapport-'));
        socketDir = privateDir;
      }
      server = await servePglite(database.pglite!, socketDir);
      lock.share(socketDir);
    },
    async close() {
      try {
        await server?.close();
        if (privateDir) rmSync(privateDir, { recursive: true, force: true });
        await close();
      } finally {
        lock.release();
      }
    },
  });
}
