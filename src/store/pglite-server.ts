// Serves one in-process PGlite to `pg` clients over a Unix socket: the scheduler's connection
// inside `rapport serve`, CLI commands run while `rapport serve` holds the data directory, and
// backups. PGlite has one session, so clients must take turns; pglite-socket's own queue only
// keeps other *socket* clients out of an open transaction, and lets the process's own queries
// (and the middle of another client's Parse/Bind/Execute/Sync) slip in between. Here a client
// owns the session from its first message until the server answers ReadyForQuery with status
// idle — the end of a statement outside a transaction, or of its COMMIT/ROLLBACK — and while it
// owns it, the process's own queries and transactions wait (PGlite's transaction mutex is held).
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';

type QueryQueue = PGLiteSocketHandlerOptions['queryQueue'];

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (e: unknown) => void;
}

/** Reads the backend's answer message by message to learn the status of the last ReadyForQuery. */
class AnswerReader {
  private header = Buffer.alloc(0);
  private skip = 0;
  private type = 0;
  /** The transaction status byte of the last ReadyForQuery seen ('I', 'T', 'E'), or null. */
  status: string | null = null;

  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        if (this.type === 0x5a && this.skip === 1) this.status = String.fromCharCode(chunk[i]!);
        this.skip -= n;
        i += n;
        continue;
      }
      const need = 5 - this.header.length;
      const take = chunk.subarray(i, i + need);
      this.header = Buffer.concat([this.header, take]);
      i += take.length;
      if (this.header.length === 5) {
        this.type = this.header[0]!;
        this.skip = this.header.readInt32BE(1) - 4;
        this.header = Buffer.alloc(0);
        // A message that is not ReadyForQuery clears the status: the answer is not finished yet.
        if (this.type !== 0x5a) this.status = null;
      }
    }
  }
}

const SYNC = Uint8Array.from([0x53, 0, 0, 0, 4]);
function simpleQuery(text: string): Uint8Array {
  const body = Buffer.from(`${text}\0`, 'utf8');
  const head = Buffer.alloc(5);
  head[0] = 0x51;
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/** The queue every connection's messages go through (the interface pglite-socket's handler expects). */
export class SessionQueue {
  private queue: Pending[] = [];
  private running = false;
  private owner: number | null = null;
  private releaseSession: (() => void) | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.pump();
    });
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((p) => {
      if (p.handlerId !== handlerId) return true;
      p.reject(new Error('connection closed'));
      return false;
    });
  }

  /** A client went away while owning the session: end what it left open and give the session back. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    while (this.running) await new Promise((r) => setTimeout(r, 5));
    if (this.owner !== handlerId) return;
    const discard = { onRawData: () => {} };
    await this.db.runExclusive(async () => {
      await this.db.execProtocolRawStream(SYNC, discard);
      if (this.db.isInTransaction()) await this.db.execProtocolRawStream(simpleQuery('ROLLBACK'), discard);
    });
    this.handBack();
    void this.pump();
  }

  private handBack(): void {
    this.owner = null;
    const release = this.releaseSession;
    this.releaseSession = null;
    release?.();
  }

  /** Waits until the process holds no transaction, then keeps its own queries out. */
  private takeSession(): Promise<void> {
    return new Promise((entered) => {
      void this.db._runExclusiveTransaction(
        () =>
          new Promise<void>((done) => {
            this.releaseSession = done;
            entered();
          }),
      );
    });
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const index = this.owner === null ? 0 : this.queue.findIndex((p) => p.handlerId === this.owner);
        const next = index >= 0 ? this.queue[index] : undefined;
        if (!next) return;
        this.queue.splice(index, 1);
        if (this.owner === null) {
          await this.takeSession();
          this.owner = next.handlerId;
        }
        const reader = new AnswerReader();
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(next.message, {
              onRawData: (data) => {
                bytes += data.length;
                reader.feed(data);
                next.onData(data);
              },
            }),
          );
        } catch (e) {
          next.reject(e);
          continue;
        }
        if (reader.status === 'I') this.handBack();
        next.resolve(bytes);
      }
    } finally {
      this.running = false;
    }
  }
}

export interface PgliteServer {
  /** The directory holding the socket: a `pg` client's `host`, with port 5432. */
  socketDir: string;
  close(): Promise<void>;
}

export const SOCKET_FILE = '.s.PGSQL.5432';

/**
 * Serves `db` on `<socketDir>/.s.PGSQL.5432`. The directory is created mode 0700 and the socket
 * is 0600, so only this user can connect (PGlite asks for no password).
 */
export async function servePglite(db: PGlite, socketDir: string, opts: { maxConnections?: number } = {}): Promise<PgliteServer> {
  mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  chmodSync(socketDir, 0o700);
  const path = `${socketDir}/${SOCKET_FILE}`;
  rmSync(path, { force: true });
  const queue = new SessionQueue(db) as unknown as QueryQueue;
  const handlers = new Set<PGLiteSocketHandler>();
  const server: Server = createServer((socket: Socket) => {
    if (handlers.size >= (opts.maxConnections ?? 32)) {
      socket.end();
      return;
    }
    const handler = new PGLiteSocketHandler({ queryQueue: queue, closeOnDetach: true });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(path, 0o600);
  return {
    socketDir,
    async close() {
      for (const h of handlers) await h.detach(true);
      handlers.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(path, { force: true });
    },
  };
}
