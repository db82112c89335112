// Analytics state in the database: TF-IDF document frequencies (incremented as messages arrive,
// rebuilt by a job), segment runs with history, versioned value models with their predictions, and
// word-vector models with per-communication vectors.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { DocumentFrequencies, DfView } from '../analytics/keywords.js';
import type { ValueModel } from '../analytics/value-tiers.js';
import type { WordVectors } from '../analytics/word2vec.js';
import type { DbOrTx } from './database.js';
import {
  analyticsCounters, analyticsTerms, communications, communicationVectors, customerSegments, customerValueTiers, segmentRuns, valueModels,
  wordVectorModels, type SegmentInfo,
} from './schema/index.js';

const CHUNK = 1000;
const chunks = <T>(xs: T[], n = CHUNK) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));

// ---- document frequencies ----

/** Add counts (a delta from the analyzer: term → documents) and `documents` to N, in one statement each. */
export async function addDocumentFrequencies(db: DbOrTx, delta: Map<string, number>, documents: number): Promise<void> {
  if (delta.size > 0) {
    const terms = [...delta.keys()];
    const counts = terms.map((t) => delta.get(t)!);
    await db.execute(sql`
      insert into ${analyticsTerms} (term, df)
      select * from unnest(${sql.param(terms)}::text[], ${sql.param(counts)}::int[])
      on conflict (term) do update set df = ${analyticsTerms.df} + excluded.df`);
  }
  if (documents) {
    await db.insert(analyticsCounters).values({ name: 'documents', value: documents })
      .onConflictDoUpdate({ target: analyticsCounters.name, set: { value: sql`${analyticsCounters.value} + excluded.value` } });
  }
}

/** Replace every count (a rebuild from all communications). */
export async function replaceDocumentFrequencies(db: DbOrTx, df: DocumentFrequencies): Promise<void> {
  await db.delete(analyticsTerms);
  await db.delete(analyticsCounters).where(eq(analyticsCounters.name, 'documents'));
  await addDocumentFrequencies(db, df.counts, df.documents);
}

export async function documentCount(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ value: analyticsCounters.value }).from(analyticsCounters).where(eq(analyticsCounters.name, 'documents'));
  return Number(row?.value ?? 0);
}

/** All counts with df ≥ minDf (the analyzer's in-memory snapshot). */
export async function loadDocumentFrequencies(db: DbOrTx, minDf = 1): Promise<DocumentFrequencies> {
  const rows = await db.select().from(analyticsTerms).where(sql`${analyticsTerms.df} >= ${minDf}`);
  return { documents: await documentCount(db), counts: new Map(rows.map((r) => [r.term, Number(r.df)])) };
}

/** A DF view over just the given terms (for keywords of a batch, a customer, a segment…): one query. */
export async function dfViewFor(db: DbOrTx, terms: Iterable<string>): Promise<DfView> {
  const wanted = [...new Set(terms)];
  const counts = new Map<string, number>();
  if (wanted.length > 0) {
    const rows = await db.select().from(analyticsTerms).where(sql`${analyticsTerms.term} = any(${sql.param(wanted)}::text[])`);
    for (const r of rows) counts.set(r.term, Number(r.df));
  }
  const documents = await documentCount(db);
  return { documents, df: (t) => counts.get(t) ?? 0 };
}

/** Rewrite communications.search_text (messages segmented before traditional Chinese was folded). */
export async function updateSearchText(db: DbOrTx, rows: { id: string; searchText: string }[]): Promise<void> {
  for (const r of rows) await db.update(communications).set({ searchText: r.searchText }).where(eq(communications.id, r.id));
}

// ---- segments ----

export interface SegmentRunInput {
  k: number;
  balanced: boolean;
  seed: number;
  silhouette: number;
  features: string[];
  segments: SegmentInfo[];
  tried?: { k: number; silhouette: number; stability: number }[] | undefined;
  members: { customerId: string; segment: number }[];
}

export async function saveSegmentRun(db: DbOrTx, run: SegmentRunInput): Promise<string> {
  const [row] = await db.insert(segmentRuns).values({
    k: run.k, balanced: run.balanced, seed: run.seed, silhouette: run.silhouette, customers: run.members.length,
    features: run.features, segments: run.segments, tried: run.tried ?? null,
  }).returning({ id: segmentRuns.id });
  const id = (row as { id: string }).id;
  const label = new Map(run.segments.map((s) => [s.index, s]));
  for (const part of chunks(run.members)) {
    await db.insert(customerSegments).values(part.map((m) => ({
      runId: id, customerId: m.customerId, segment: m.segment, labelEn: label.get(m.segment)?.en ?? '', labelZh: label.get(m.segment)?.zh ?? '',
    })));
  }
  return id;
}

export type SegmentRun = typeof segmentRuns.$inferSelect;

export async function latestSegmentRun(db: DbOrTx): Promise<SegmentRun | null> {
  const [row] = await db.select().from(segmentRuns).orderBy(desc(segmentRuns.createdAt), desc(segmentRuns.id)).limit(1);
  return row ?? null;
}

/** Customers of a segment in the latest run, by index or by its English or Chinese label. */
export async function segmentMembers(db: DbOrTx, segment: string): Promise<string[] | null> {
  const run = await latestSegmentRun(db);
  if (!run) return null;
  const wanted = segment.trim().toLowerCase();
  const s = run.segments.find((x) => String(x.index) === wanted || x.en.toLowerCase() === wanted || x.zh === segment.trim());
  if (!s) return [];
  const rows = await db.select({ id: customerSegments.customerId }).from(customerSegments)
    .where(and(eq(customerSegments.runId, run.id), eq(customerSegments.segment, s.index)));
  return rows.map((r) => r.id);
}

export interface SegmentHistoryEntry {
  runId: string;
  at: string;
  segment: number;
  en: string;
  zh: string;
}

/** A customer's segment in each run, newest first. */
export async function segmentHistory(db: DbOrTx, customerId: string, limit = 20): Promise<SegmentHistoryEntry[]> {
  const rows = await db.select({ runId: customerSegments.runId, at: segmentRuns.createdAt, segment: customerSegments.segment, en: customerSegments.labelEn, zh: customerSegments.labelZh })
    .from(customerSegments).innerJoin(segmentRuns, eq(segmentRuns.id, customerSegments.runId))
    .where(eq(customerSegments.customerId, customerId)).orderBy(desc(segmentRuns.createdAt)).limit(limit);
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}

// ---- value models ----

export async function saveValueModel(db: DbOrTx, model: ValueModel, predictions: { customerId: string; tier: string; confidence: number }[]): Promise<{ id: string; version: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('rapport:value_models'))`);
    const [max] = await tx.select({ v: sql<number>`coalesce(max(${valueModels.version}), 0)` }).from(valueModels);
    const version = Number(max?.v ?? 0) + 1;
    const [row] = await tx.insert(valueModels).values({
      version, labelSource: model.labelSource, rows: model.rows, cvAccuracy: model.cvAccuracy, model: { ...model, modelVersion: version },
    }).returning({ id: valueModels.id });
    const id = (row as { id: string }).id;
    for (const part of chunks(predictions)) await tx.insert(customerValueTiers).values(part.map((p) => ({ modelId: id, ...p })));
    return { id, version };
  });
}

export async function latestValueModel(db: DbOrTx): Promise<{ id: string; version: number; model: ValueModel; createdAt: Date } | null> {
  const [row] = await db.select().from(valueModels).orderBy(desc(valueModels.version)).limit(1);
  return row ? { id: row.id, version: row.version, model: row.model as ValueModel, createdAt: row.createdAt } : null;
}

/** A customer's tier under each model version, newest first. */
export async function valueTierHistory(db: DbOrTx, customerId: string, limit = 20) {
  const rows = await db.select({ version: valueModels.version, at: valueModels.createdAt, tier: customerValueTiers.tier, confidence: customerValueTiers.confidence })
    .from(customerValueTiers).innerJoin(valueModels, eq(valueModels.id, customerValueTiers.modelId))
    .where(eq(customerValueTiers.customerId, customerId)).orderBy(desc(valueModels.version)).limit(limit);
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}

/** Customers in a tier under the latest model (e.g. 'high' for the digest). */
export async function customersInTier(db: DbOrTx, tier: string): Promise<string[] | null> {
  const latest = await latestValueModel(db);
  if (!latest) return null;
  const rows = await db.select({ id: customerValueTiers.customerId }).from(customerValueTiers)
    .where(and(eq(customerValueTiers.modelId, latest.id), eq(customerValueTiers.tier, tier)));
  return rows.map((r) => r.id);
}

// ---- word vectors ----

export async function saveWordVectors(db: DbOrTx, model: WordVectors, documents: number, options: object): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('rapport:word_vectors'))`);
    const [max] = await tx.select({ v: sql<number>`coalesce(max(${wordVectorModels.version}), 0)` }).from(wordVectorModels);
    const version = Number(max?.v ?? 0) + 1;
    await tx.insert(wordVectorModels).values({
      version, dimensions: model.dimensions, documents, words: model.words, options,
      vectors: new Uint8Array(model.vectors.buffer, model.vectors.byteOffset, model.vectors.byteLength),
    });
    // Keep the two newest models: vectors of older versions are replaced as they are recomputed.
    await tx.delete(wordVectorModels).where(sql`${wordVectorModels.version} < ${version - 1}`);
    return version;
  });
}

export async function latestWordVectors(db: DbOrTx): Promise<{ version: number; model: WordVectors } | null> {
  const [row] = await db.select().from(wordVectorModels).orderBy(desc(wordVectorModels.version)).limit(1);
  if (!row) return null;
  return { version: row.version, model: { version: 1, dimensions: row.dimensions, words: row.words, vectors: toFloat32(row.vectors) } };
}

export function toFloat32(bytes: Uint8Array): Float32Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

export async function saveCommunicationVectors(db: DbOrTx, modelVersion: number, rows: { communicationId: string; terms: string[]; vector: Float32Array }[]): Promise<void> {
  for (const part of chunks(rows, 500)) {
    await db.insert(communicationVectors).values(part.map((r) => ({
      communicationId: r.communicationId, modelVersion, terms: r.terms, vector: new Uint8Array(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength),
    }))).onConflictDoUpdate({
      target: communicationVectors.communicationId,
      set: { modelVersion, terms: sql`excluded.terms`, vector: sql`excluded.vector` },
    });
  }
}

export async function loadCommunicationVectors(db: DbOrTx, modelVersion: number): Promise<{ communicationId: string; terms: string[]; vector: Float32Array }[]> {
  const rows = await db.select().from(communicationVectors).where(eq(communicationVectors.modelVersion, modelVersion));
  return rows.map((r) => ({ communicationId: r.communicationId, terms: r.terms, vector: toFloat32(r.vector) }));
}
