import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { communications } from './communications.js';
import { companies, customers } from './customers.js';

/** Our own people, beyond RAPPORT_INTERNAL_DOMAINS: never matched as customers. */
export const staffIdentities = pgTable(
  'staff_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<'email' | 'slack_user' | 'phone'>().notNull(),
    /** Match key, as for customer identities (Gmail-folded email, upper-case Slack id, E.164). */
    value: text('value').notNull(),
    display: text('display').notNull(),
    name: text('name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('staff_identities_kind_value_key').on(t.kind, t.value),
    check('staff_identities_kind_check', sql`${t.kind} in ('email','slack_user','phone')`),
  ],
);

export interface ReviewContact {
  email?: string;
  phone?: string;
  slackUser?: string;
  name?: string;
  externalId?: string;
}

/** Messages nobody could attach to a customer: unmatched, ambiguous, or a company without a person. */
export const reviewItems = pgTable(
  'review_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communicationId: uuid('communication_id')
      .notNull()
      .references(() => communications.id, { onDelete: 'cascade' }),
    reason: text('reason').$type<'unmatched' | 'ambiguous' | 'company_only'>().notNull(),
    status: text('status').$type<'open' | 'linked' | 'dismissed'>().notNull().default('open'),
    /** The person to link: sender of inbound, recipient of outbound, original sender of a forward. */
    contact: jsonb('contact').$type<ReviewContact>(),
    companyId: uuid('company_id').references(() => companies.id, { onDelete: 'set null' }),
    candidates: jsonb('candidates').$type<{ customerId?: string; companyId?: string }[]>().notNull().default([]),
    resolvedCustomerId: uuid('resolved_customer_id').references(() => customers.id, { onDelete: 'set null' }),
    resolvedBy: text('resolved_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('review_items_communication_key').on(t.communicationId),
    index('review_items_status_idx').on(t.status, t.createdAt),
    check('review_items_status_check', sql`${t.status} in ('open','linked','dismissed')`),
  ],
);

/** Audit of `customers merge`: who merged what into what, when, what moved, and the source as it was. */
export const customerMerges = pgTable(
  'customer_merges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sourceCustomerId: uuid('source_customer_id')
      .notNull()
      .references(() => customers.id),
    targetCustomerId: uuid('target_customer_id')
      .notNull()
      .references(() => customers.id),
    mergedBy: text('merged_by').notNull(),
    mergedAt: timestamp('merged_at', { withTimezone: true }).notNull().defaultNow(),
    /** Rows moved per table: { identities: 2, communications: 14, orders: 3, threads: 5, … }. */
    moved: jsonb('moved').$type<Record<string, number>>().notNull(),
    /** Rows left on the source because the target already had its unique counterpart. */
    kept: jsonb('kept').$type<Record<string, number>>().notNull().default({}),
    /** The source customer before the merge (name, company, tags, attributes, identities). */
    sourceSnapshot: jsonb('source_snapshot').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('customer_merges_source_idx').on(t.sourceCustomerId), index('customer_merges_target_idx').on(t.targetCustomerId)],
);
