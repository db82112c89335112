import { sql } from 'drizzle-orm';
import {
  customType, index, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';
import { companies, customers } from './customers.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const threads = pgTable(
  'threads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel').notNull(),
    threadKey: text('thread_key').notNull(),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    subject: text('subject'),
    normalizedSubject: text('normalized_subject'),
    kind: text('kind'),
    status: text('status').notNull().default('open'),
    firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('threads_channel_key').on(t.channel, t.threadKey),
    // By a hash of the subject: a subject can be up to 998 characters (3 kB of Chinese), more than
    // a btree entry holds; lookups compare the hash, then the subject itself.
    index('threads_customer_subject_idx').on(t.customerId, sql`md5(${t.normalizedSubject})`, t.lastAt),
  ],
);

export interface Participant {
  role: 'from' | 'to' | 'cc' | 'bcc';
  email?: string;
  phone?: string;
  slackUser?: string;
  name?: string;
}

export interface AttachmentMeta {
  name: string | null;
  type: string;
  size: number;
  sha256?: string;
}

export interface MatchInfo {
  rule: string;
  confidence: number;
}

export const communications = pgTable(
  'communications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel').notNull(),
    direction: text('direction').$type<'inbound' | 'outbound' | 'internal'>().notNull(),
    kind: text('kind').notNull().default('message'),
    externalId: text('external_id').notNull(),
    threadId: uuid('thread_id').references(() => threads.id, { onDelete: 'set null' }),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    companyId: uuid('company_id').references(() => companies.id, { onDelete: 'set null' }),
    subject: text('subject'),
    /** The new part of the message (quotes and signatures removed). */
    text: text('text').notNull().default(''),
    /** The whole text as received, when it differs from `text`. */
    fullText: text('full_text'),
    participants: jsonb('participants').$type<Participant[]>().notNull().default([]),
    attachments: jsonb('attachments').$type<AttachmentMeta[]>().notNull().default([]),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    language: text('language'),
    flags: text('flags').array().notNull().default(sql`'{}'::text[]`),
    keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
    sentiment: real('sentiment'),
    match: jsonb('match').$type<MatchInfo>(),
    rawRef: text('raw_ref'),
    /** Words pre-segmented in the application (jieba for Chinese) so `simple` FTS works for both languages. */
    searchText: text('search_text').notNull().default(''),
    search: tsvector('search').generatedAlwaysAs(
      sql`to_tsvector('simple'::regconfig, search_text) || to_tsvector('english'::regconfig, coalesce(subject, '') || ' ' || text)`,
    ),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('communications_channel_external_key').on(t.channel, t.externalId),
    index('communications_customer_time_idx').on(t.customerId, t.occurredAt),
    index('communications_thread_idx').on(t.threadId, t.occurredAt),
    index('communications_occurred_idx').on(t.occurredAt),
    index('communications_search_idx').using('gin', t.search),
  ],
);
