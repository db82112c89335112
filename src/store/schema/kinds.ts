// The learned kind/sentiment classifier's state: people's corrections of a message's kind or
// sentiment (kept with the message: deleting it deletes them), and the model versions the nightly
// retrain produced, with their metrics and whether they were promoted to classify new messages.
import { boolean, index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { communications } from './communications.js';

export const kindCorrections = pgTable(
  'kind_corrections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    communicationId: uuid('communication_id').notNull().references(() => communications.id, { onDelete: 'cascade' }),
    /** The kind before (the classifier's words: 'other' for a plain message). */
    oldKind: text('old_kind').notNull(),
    /** Null when only the sentiment was corrected. */
    newKind: text('new_kind'),
    oldSentiment: real('old_sentiment'),
    /** neg | neu | pos; null when only the kind was corrected. */
    newSentiment: text('new_sentiment'),
    correctedBy: text('corrected_by').notNull(),
    /** api | cli | slack | console */
    source: text('source').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('kind_corrections_communication_idx').on(t.communicationId, t.createdAt), index('kind_corrections_created_idx').on(t.createdAt)],
);

export const kindModels = pgTable(
  'kind_models',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    version: integer('version').notNull(),
    /** Live models are the promoted ones; the newest promoted classifies new messages. */
    promoted: boolean('promoted').notNull().default(false),
    /** Scores on the holdout and against the model that was live, and what it was trained on. */
    metrics: jsonb('metrics').notNull(),
    /** The KindModel JSON (src/analytics/kind-model.ts). */
    model: jsonb('model').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('kind_models_version_key').on(t.version), index('kind_models_promoted_idx').on(t.promoted, t.version)],
);
