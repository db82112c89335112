import { pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Webhook sources added with `rapport webhook add` (sources can also come from configuration).
 * The secret is kept as written because the server must compute HMACs with it; after a rotation
 * the previous secret stays valid until `previous_secret_expires_at`, so senders can switch.
 */
export const webhookSources = pgTable(
  'webhook_sources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    preset: text('preset').notNull(),
    secret: text('secret').notNull(),
    /** The first characters of the current secret, kept apart so a listing never opens the sealed secret. */
    secretPrefix: text('secret_prefix'),
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('webhook_sources_name_key').on(t.name)],
);
