// Mail parsing off the event loop and across cores, for the bulk paths (`rapport ingest eml`, IMAP
// first syncs and backfills): mailparser is CPU-bound, and a hostile message can take it long, so
// every message has a deadline (`parse_timeout`).
import { RapportError } from '../../core/errors.js';
import type { InboundMessage } from '../../core/inbound-message.js';
import { parseEmail, type ParseEmailOptions } from '../../mail/parse-email.js';
import type { ParseOutcome } from './parse-email-task.js';
import { createThreadPool } from './thread-pool.js';

export interface ParsePool {
  /** Parses one message; throws a RapportError (`validation` for non-mail, `parse_timeout`) like parseEmail. */
  parse(raw: Buffer, options?: ParseEmailOptions): Promise<InboundMessage>;
  close(): Promise<void>;
}

export function createParsePool(threads: number, timeoutMs: number): ParsePool {
  if (threads <= 0) return { parse: (raw, options) => parseEmail(raw, options), close: async () => {} };
  const pool = createThreadPool<{ raw: Uint8Array; options: ParseEmailOptions }, ParseOutcome>('parse-email', threads, null);
  return {
    async parse(raw, options = {}) {
      // Iterables do not cross threads; dates do.
      const opts = { ...options, ownAddresses: options.ownAddresses ? [...options.ownAddresses] : undefined };
      const out = await pool.run({ raw, options: opts }, { timeoutMs });
      if (out === 'timeout') throw new RapportError('validation', `parsing took longer than ${timeoutMs} ms`, { reason: 'parse_timeout' });
      if (!out.ok) throw new RapportError(out.code === 'validation' ? 'validation' : 'internal', out.message);
      return out.message;
    },
    close: () => pool.close(),
  };
}
