import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** Who gets a daily digest, where, when (wall-clock time in a zone) and filtered how. */
export const digestSubscriptions = pgTable(
  'digest_subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** 'slack' (target = channel id or #name) or 'email' (target = address). */
    targetKind: text('target_kind').$type<'slack' | 'email'>().notNull(),
    target: text('target').notNull(),
    /** Only customers of this owner / in this segment (null: everyone). */
    owner: text('owner'),
    segment: text('segment'),
    at: text('at').notNull(),
    timeZone: text('time_zone').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('digest_subscriptions_unique').on(t.targetKind, t.target, sql`coalesce(${t.owner}, '')`, sql`coalesce(${t.segment}, '')`),
  ],
);

/**
 * One row per subscription and due slot. Inserting it claims the slot, so two instances never
 * send the same digest, and a digest missed during downtime is sent once (only the latest slot is
 * ever claimed), marked late.
 */
export const digestDeliveries = pgTable(
  'digest_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => digestSubscriptions.id, { onDelete: 'cascade' }),
    slot: timestamp('slot', { withTimezone: true }).notNull(),
    late: boolean('late').notNull().default(false),
    status: text('status').$type<'sending' | 'sent' | 'failed'>().notNull().default('sending'),
    error: text('error'),
    summary: jsonb('summary').$type<Record<string, number>>(),
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('digest_deliveries_slot_key').on(t.subscriptionId, t.slot), index('digest_deliveries_status_idx').on(t.status)],
);

/** Real-time alerts already posted: at most one per thread per day. */
export const alertsSent = pgTable(
  'alerts_sent',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    threadKey: text('thread_key').notNull(),
    day: text('day').notNull(),
    communicationId: uuid('communication_id').notNull(),
    reason: text('reason').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('alerts_sent_thread_day_key').on(t.threadKey, t.day)],
);
