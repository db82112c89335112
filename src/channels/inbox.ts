// The way in for every channel: a message is checked at the InboundMessage boundary and appended to
// the durable inbox; the sender is answered once that row is committed. Appends that arrive while
// one is being written share the next statement and commit (group commit), so a burst of webhook
// requests costs a few round trips, not one each. The capture worker is woken after each commit.
import { randomUUID } from 'node:crypto';
import { isRapportError } from '../core/errors.js';
import { checkInboundMessage } from '../core/inbound-check.js';
import { toInboxPayload } from '../core/inbound-json.js';
import type { InboundMessage } from '../core/inbound-message.js';
import type { DbOrTx } from '../store/database.js';
import { appendToInbox, type InboxAppendRow, type WebhookSourceGuard } from '../store/inbox-repo.js';

export type { WebhookSourceGuard } from '../store/inbox-repo.js';

export type AppendResult =
  | { id: string; status: 'accepted' | 'duplicate' }
  | { id: ''; status: 'rejected'; error: { code: string; message: string } };

export interface Inbox {
  /** Checks and appends one message, sharing a commit with concurrent appends. Throws `validation`. */
  accept(message: InboundMessage): Promise<{ id: string; status: 'accepted' | 'duplicate' }>;
  /**
   * As accept, only while the webhook source still holds the secrets the message was verified
   * with (checked in the appending statement); null when it does not (nothing was appended).
   */
  acceptIf(message: InboundMessage, guard: WebhookSourceGuard): Promise<{ id: string; status: 'accepted' | 'duplicate' } | null>;
  /**
   * Appends messages in the caller's transaction (an IMAP batch with its folder cursor) or in one of
   * its own. An invalid message is reported as rejected; the others are appended.
   */
  appendAll(messages: InboundMessage[], tx?: DbOrTx): Promise<AppendResult[]>;
  /** Waits for appends under way (shutdown). */
  drain(): Promise<void>;
  /** New messages appended by accept/acceptIf per second (duplicates not counted): the last second's count, or the current second's once larger. */
  acceptsPerSecond(): number;
}

interface Waiting {
  row: InboxAppendRow;
  resolve(r: { id: string; status: 'accepted' | 'duplicate' } | null): void;
  reject(e: unknown): void;
}

export interface InboxOptions {
  /** Statements in flight at once (PostgreSQL: a few; PGlite has one connection). */
  concurrency: number;
  /** Called after appends commit (wakes the capture worker). */
  onAppended(): void;
}

const maxGroup = 500;
const rateWindowMs = 1_000;

export function createInbox(db: DbOrTx, opts: InboxOptions): Inbox {
  const queue: Waiting[] = [];
  let inFlight = 0;
  let idle: (() => void)[] = [];

  // Accepts counted per window: the last full window's count, or the current one's when larger.
  let windowStart = performance.now();
  let inWindow = 0;
  let lastWindow = 0;
  const roll = () => {
    const now = performance.now();
    if (now - windowStart < rateWindowMs) return;
    lastWindow = now - windowStart < 2 * rateWindowMs ? inWindow : 0;
    inWindow = 0;
    windowStart = now;
  };

  const rowOf = (message: InboundMessage): InboxAppendRow => {
    const checked = checkInboundMessage(message);
    return { id: randomUUID(), channel: checked.channel, externalId: checked.externalId, payload: toInboxPayload(checked) };
  };

  const counted = () => {
    roll();
    inWindow++;
  };

  const kick = () => {
    while (inFlight < opts.concurrency && queue.length > 0) {
      const group = queue.splice(0, maxGroup);
      inFlight++;
      appendToInbox(db, group.map((w) => w.row))
        .then((outcomes) => {
          outcomes.forEach((o, i) => {
            // New messages from senders waiting for an answer: the work capture will have to do.
            if (!o.duplicate && !o.stale) counted();
            group[i]!.resolve(o.stale ? null : { id: o.id, status: o.duplicate ? 'duplicate' : 'accepted' });
          });
          if (outcomes.some((o) => !o.duplicate && !o.stale)) opts.onAppended();
        })
        .catch((e: unknown) => group.forEach((w) => w.reject(e)))
        .finally(() => {
          inFlight--;
          if (inFlight === 0 && queue.length === 0) {
            const waiting = idle;
            idle = [];
            waiting.forEach((f) => f());
          }
          kick();
        });
    }
  };

  return {
    async accept(message) {
      const row = rowOf(message);
      const result = await new Promise<{ id: string; status: 'accepted' | 'duplicate' } | null>((resolve, reject) => {
        queue.push({ row, resolve, reject });
        kick();
      });
      if (!result) throw new Error('unreachable: an append without a guard is never stale');
      return result;
    },
    async acceptIf(message, guard) {
      const row = { ...rowOf(message), guard };
      return new Promise((resolve, reject) => {
        queue.push({ row, resolve, reject });
        kick();
      });
    },
    async appendAll(messages, tx) {
      const results: AppendResult[] = [];
      const rows: InboxAppendRow[] = [];
      const at: number[] = [];
      for (const m of messages) {
        try {
          rows.push(rowOf(m));
          at.push(results.length);
          results.push({ id: '', status: 'rejected', error: { code: 'internal', message: 'not appended' } });
        } catch (e) {
          if (!isRapportError(e)) throw e;
          results.push({ id: '', status: 'rejected', error: { code: e.code, message: e.message } });
        }
      }
      for (let i = 0; i < rows.length; i += maxGroup) {
        const outcomes = await appendToInbox(tx ?? db, rows.slice(i, i + maxGroup));
        outcomes.forEach((o, j) => (results[at[i + j]!] = o.stale ? { id: '', status: 'rejected', error: { code: 'stale', message: 'not appended' } } : { id: o.id, status: o.duplicate ? 'duplicate' : 'accepted' }));
      }
      // Appended in the caller's transaction: the worker is woken by the caller after its commit.
      if (!tx && results.some((r) => r.status === 'accepted')) opts.onAppended();
      return results;
    },
    acceptsPerSecond() {
      roll();
      return (Math.max(lastWindow, inWindow) * 1000) / rateWindowMs;
    },
    drain() {
      if (inFlight === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
  };
}
