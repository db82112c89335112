// What remains of an erased customer: who erased whom (the random id only), when, and how many
// rows went — no name, no identity, no text.
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const customerErasures = pgTable(
  'customer_erasures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id').notNull(),
    erasedBy: text('erased_by').notNull(),
    erasedAt: timestamp('erased_at', { withTimezone: true }).notNull().defaultNow(),
    /** Rows removed or redacted per table. */
    counts: jsonb('counts').$type<Record<string, number>>().notNull(),
  },
  (t) => [index('customer_erasures_customer_idx').on(t.customerId)],
);
