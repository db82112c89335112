// Slack's own state: which channels are captured for whom, a cache of Slack profiles (users.info),
// and the event deliveries already taken (so Slack's retries never run twice).
import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { companies, customers } from './customers.js';

/** A Slack channel whose messages are captured for one customer or one company. */
export const slackChannelLinks = pgTable(
  'slack_channel_links',
  {
    teamId: text('team_id').notNull(),
    channelId: text('channel_id').notNull(),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'cascade' }),
    companyId: uuid('company_id').references(() => companies.id, { onDelete: 'cascade' }),
    /** A Slack Connect channel shared with another organization: our people there speak outbound. */
    shared: boolean('shared').notNull().default(false),
    linkedBy: text('linked_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.channelId] }),
    index('slack_channel_links_customer_idx').on(t.customerId),
    index('slack_channel_links_company_idx').on(t.companyId),
  ],
);

/** users.info answers, cached: the email on a profile matches a Slack author to a customer. */
export const slackUsers = pgTable(
  'slack_users',
  {
    teamId: text('team_id').notNull(),
    userId: text('user_id').notNull(),
    /** The workspace the person belongs to (differs from team_id for Slack Connect guests). */
    homeTeamId: text('home_team_id'),
    email: text('email'),
    name: text('name'),
    isBot: boolean('is_bot').notNull().default(false),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] })],
);

/** Event deliveries being or already processed, by Slack's event_id; pruned after a day. */
export const slackDeliveries = pgTable(
  'slack_deliveries',
  {
    key: text('key').primaryKey(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [index('slack_deliveries_received_idx').on(t.receivedAt)],
);
