import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * What a message became: still `pending` (new, or waiting for a retry), `captured` (attached to a
 * customer), `review` (stored, queued for review), `noise` (stored, detached), `duplicate` (the
 * same message was captured before), `failed` (parked after its retries; `rapport inbox retry`).
 */
export type InboxStatus = 'pending' | 'captured' | 'review' | 'noise' | 'duplicate' | 'failed';

export interface InboxError {
  code: string;
  message: string;
}

/**
 * The durable inbox: every channel appends what it received here, keyed by the dedupe key
 * (channel, external id), and answers its sender once the row is committed. The capture worker
 * drains it in arrival order. A fresh message's inbox id becomes its communication id, so the id a
 * webhook sender got back is the id of the stored message. The payload is dropped once captured;
 * the row stays as the ledger of what was accepted.
 */
export const inbox = pgTable(
  'inbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Arrival order. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    channel: text('channel').notNull(),
    externalId: text('external_id').notNull(),
    /** The InboundMessage as JSON (src/core/inbound-json.ts); null once it is settled. */
    payload: text('payload'),
    status: text('status').$type<InboxStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** The last failure: a stable code and a reason without message content. */
    error: jsonb('error').$type<InboxError>(),
    /** The communication it became, or the one it duplicates. */
    communicationId: uuid('communication_id'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    settledAt: timestamp('settled_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('inbox_channel_external_key').on(t.channel, t.externalId),
    index('inbox_pending_idx').on(t.seq).where(sql`status = 'pending'`),
    index('inbox_failed_idx').on(t.seq).where(sql`status = 'failed'`),
    index('inbox_communication_idx').on(t.communicationId),
    check('inbox_status_check', sql`${t.status} in ('pending','captured','review','noise','duplicate','failed')`),
  ],
);
