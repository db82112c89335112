import { sql } from 'drizzle-orm';
import { check, index, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

export const companies = pgTable(
  'companies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    domains: text('domains').array().notNull().default(sql`'{}'::text[]`),
    ...timestamps,
  },
  (t) => [uniqueIndex('companies_name_key').on(sql`lower(${t.name})`), index('companies_domains_idx').using('gin', t.domains)],
);

export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    companyId: uuid('company_id').references(() => companies.id, { onDelete: 'set null' }),
    owner: text('owner'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    ...timestamps,
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('customers_company_idx').on(t.companyId),
    index('customers_owner_idx').on(t.owner),
    index('customers_tags_idx').using('gin', t.tags),
    index('customers_created_idx').on(t.createdAt, t.id),
    index('customers_name_lower_idx').on(sql`lower(${t.name})`),
  ],
);

export const identityKinds = ['email', 'phone', 'slack_user', 'external_id'] as const;
export type IdentityKind = (typeof identityKinds)[number];

/** One identifier → one customer. `value` is the match key (normalized); `display` as written. */
export const identities = pgTable(
  'identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<IdentityKind>().notNull(),
    value: text('value').notNull(),
    display: text('display').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('identities_kind_value_key').on(t.kind, t.value),
    index('identities_customer_idx').on(t.customerId),
    check('identities_kind_check', sql`${t.kind} in ('email','phone','slack_user','external_id')`),
  ],
);

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    currency: text('currency').notNull(),
    status: text('status').notNull(),
    orderedAt: timestamp('ordered_at', { withTimezone: true }).notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('orders_external_id_key').on(t.externalId), index('orders_customer_idx').on(t.customerId, t.orderedAt)],
);
