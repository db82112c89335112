// Analytics state: document frequencies for TF-IDF (kept incrementally), segment runs with each
// customer's segment per run (history), versioned value-tier models with their predictions, and
// the word-vector model with the per-communication vectors "similar" searches over.
import { sql } from 'drizzle-orm';
import {
  bigint, boolean, customType, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';
import { communications } from './communications.js';
import { customers } from './customers.js';

/** Raw bytes: Buffer to the driver; node-postgres returns Buffer, PGlite Uint8Array. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength)),
  fromDriver: (v) => (v instanceof Uint8Array ? v : Buffer.from(v as unknown as string, 'hex')),
});

/** In how many communications each term (word or two-word phrase) occurs. */
export const analyticsTerms = pgTable('analytics_terms', {
  term: text('term').primaryKey(),
  df: integer('df').notNull(),
});

/** Named counters; 'documents' is the N of TF-IDF. */
export const analyticsCounters = pgTable('analytics_counters', {
  name: text('name').primaryKey(),
  value: bigint('value', { mode: 'number' }).notNull(),
});

export interface SegmentInfo {
  index: number;
  en: string;
  zh: string;
  size: number;
  centroid: number[];
  /** The features that set the segment apart, strongest first (runs before this field: absent). */
  traits?: { feature: string; z: number; en: string; zh: string }[];
}

/**
 * Exchange rates for analytics: one unit of `currency` is `rate_to_reporting` units of the
 * reporting currency (RAPPORT_REPORTING_CURRENCY) as of a day. Rates for another reporting
 * currency stay in the table but are not used.
 */
export const fxRates = pgTable(
  'fx_rates',
  {
    currency: text('currency').notNull(),
    reportingCurrency: text('reporting_currency').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    rateToReporting: doublePrecision('rate_to_reporting').notNull(),
    loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.currency, t.reportingCurrency, t.asOf] })],
);

export const segmentRuns = pgTable(
  'segment_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    k: integer('k').notNull(),
    balanced: boolean('balanced').notNull(),
    seed: integer('seed').notNull(),
    silhouette: doublePrecision('silhouette').notNull(),
    customers: integer('customers').notNull(),
    features: jsonb('features').$type<string[]>().notNull(),
    segments: jsonb('segments').$type<SegmentInfo[]>().notNull(),
    /** k → silhouette (and stability, since it is measured) for the ks tried, when k was chosen. */
    tried: jsonb('tried').$type<{ k: number; silhouette: number; stability?: number }[]>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('segment_runs_created_idx').on(t.createdAt)],
);

export const customerSegments = pgTable(
  'customer_segments',
  {
    runId: uuid('run_id').notNull().references(() => segmentRuns.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
    segment: integer('segment').notNull(),
    labelEn: text('label_en').notNull(),
    labelZh: text('label_zh').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.customerId] }), index('customer_segments_customer_idx').on(t.customerId, t.runId)],
);

export const valueModels = pgTable(
  'value_models',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    version: integer('version').notNull(),
    labelSource: text('label_source').notNull(),
    rows: integer('rows').notNull(),
    cvAccuracy: doublePrecision('cv_accuracy'),
    /** The ValueModel JSON (tree, tiers, features). */
    model: jsonb('model').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('value_models_version_key').on(t.version)],
);

export const customerValueTiers = pgTable(
  'customer_value_tiers',
  {
    modelId: uuid('model_id').notNull().references(() => valueModels.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
    tier: text('tier').notNull(),
    confidence: real('confidence').notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.customerId] }), index('customer_value_tiers_customer_idx').on(t.customerId)],
);

export const wordVectorModels = pgTable(
  'word_vector_models',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    version: integer('version').notNull(),
    dimensions: integer('dimensions').notNull(),
    documents: integer('documents').notNull(),
    words: jsonb('words').$type<string[]>().notNull(),
    /** words × dimensions Float32, little-endian. */
    vectors: bytea('vectors').notNull(),
    options: jsonb('options').notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('word_vector_models_version_key').on(t.version)],
);

/** A communication's terms and its document vector under a word-vector model version. */
export const communicationVectors = pgTable(
  'communication_vectors',
  {
    communicationId: uuid('communication_id').primaryKey().references(() => communications.id, { onDelete: 'cascade' }),
    modelVersion: integer('model_version').notNull(),
    terms: text('terms').array().notNull(),
    vector: bytea('vector').notNull(),
  },
  (t) => [index('communication_vectors_model_idx').on(t.modelVersion)],
);
