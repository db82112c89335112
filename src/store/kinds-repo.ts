// Corrections of a message's kind or sentiment, and the versions of the learned kind model.
// A correction is applied to the message and its thread in the same transaction that records it.
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from './database.js';
import { communications, kindCorrections, kindModels, threads } from './schema/index.js';

export type CorrectionSource = 'api' | 'cli' | 'slack' | 'console';
export type SentimentClass = 'neg' | 'neu' | 'pos';

export interface CorrectionInput {
  /** A classifier kind; 'other' is stored on the message as 'message'. */
  kind?: string | undefined;
  sentiment?: SentimentClass | undefined;
  by: string;
  source: CorrectionSource;
}

export interface CorrectionResult {
  id: string;
  communicationId: string;
  threadId: string | null;
  customerId: string | null;
  old: { kind: string; sentiment: number | null };
  new: { kind: string; sentiment: number | null };
  correctedBy: string;
  source: CorrectionSource;
  createdAt: string;
}

/** The number a person's sentiment stands for: what the model would say if it were certain. */
export const sentimentScoreOf: Record<SentimentClass, number> = { neg: -1, neu: 0, pos: 1 };

/** The stored kind in the classifier's words ('message' is the classifier's 'other'). */
export const classifierKind = (stored: string) => (stored === 'message' ? 'other' : stored);
const storedKind = (kind: string) => (kind === 'other' ? 'message' : kind);

/** Records a correction and applies it to the message and its thread; null when the message is unknown. */
export async function correctCommunication(db: DbOrTx, communicationId: string, input: CorrectionInput): Promise<CorrectionResult | null> {
  return db.transaction(async (tx) => {
    const [c] = await tx
      .select({ id: communications.id, kind: communications.kind, sentiment: communications.sentiment, threadId: communications.threadId, customerId: communications.customerId })
      .from(communications)
      .where(eq(communications.id, communicationId))
      .for('update');
    if (!c) return null;
    const newKind = input.kind === undefined ? c.kind : storedKind(input.kind);
    const newSentiment = input.sentiment === undefined ? c.sentiment : sentimentScoreOf[input.sentiment];
    const [row] = await tx
      .insert(kindCorrections)
      .values({
        communicationId,
        oldKind: classifierKind(c.kind),
        newKind: input.kind ?? null,
        oldSentiment: c.sentiment,
        newSentiment: input.sentiment ?? null,
        correctedBy: input.by,
        source: input.source,
      })
      .returning({ id: kindCorrections.id, createdAt: kindCorrections.createdAt });
    await tx.update(communications).set({ kind: newKind, sentiment: newSentiment, updatedAt: new Date() }).where(eq(communications.id, communicationId));
    if (c.threadId && input.kind !== undefined) await tx.update(threads).set({ kind: newKind }).where(eq(threads.id, c.threadId));
    return {
      id: row!.id,
      communicationId,
      threadId: c.threadId,
      customerId: c.customerId,
      old: { kind: classifierKind(c.kind), sentiment: c.sentiment },
      new: { kind: classifierKind(newKind), sentiment: newSentiment },
      correctedBy: input.by,
      source: input.source,
      createdAt: row!.createdAt.toISOString(),
    };
  });
}

/** The one communication whose id starts with this (at least 4 hex digits); null when none or several. */
export async function communicationIdByPrefix(db: DbOrTx, prefix: string): Promise<{ id: string | null; candidates: number }> {
  const p = prefix.trim().toLowerCase();
  if (!/^[0-9a-f-]{4,36}$/.test(p)) return { id: null, candidates: 0 };
  const rows = await db.select({ id: communications.id }).from(communications).where(sql`${communications.id}::text like ${`${p}%`}`).limit(2);
  return { id: rows.length === 1 ? rows[0]!.id : null, candidates: rows.length };
}

export interface CorrectedMessage {
  communicationId: string;
  text: string;
  /** The latest corrected kind, if the kind was ever corrected. */
  kind: string | null;
  sentiment: SentimentClass | null;
}

/** Every corrected message with its latest corrected kind and sentiment (for retraining). */
export async function correctedMessages(db: DbOrTx): Promise<CorrectedMessage[]> {
  const rows = await db
    .select({ id: communications.id, subject: communications.subject, text: communications.text, newKind: kindCorrections.newKind, newSentiment: kindCorrections.newSentiment })
    .from(kindCorrections)
    .innerJoin(communications, eq(communications.id, kindCorrections.communicationId))
    .orderBy(asc(kindCorrections.createdAt), asc(kindCorrections.id));
  const byId = new Map<string, CorrectedMessage>();
  for (const r of rows) {
    const m = byId.get(r.id) ?? { communicationId: r.id, text: r.subject ? `${r.subject}\n${r.text}` : r.text, kind: null, sentiment: null };
    if (r.newKind !== null) m.kind = r.newKind;
    if (r.newSentiment !== null) m.sentiment = r.newSentiment as SentimentClass;
    byId.set(r.id, m);
  }
  return [...byId.values()];
}

export interface CorrectionCounts {
  total: number;
  messages: number;
  kinds: { from: string; to: string; n: number }[];
  sentiments: { to: string; n: number }[];
  bySource: Record<string, number>;
}

export async function correctionCounts(db: DbOrTx): Promise<CorrectionCounts> {
  const [totals] = await db.select({ total: sql<number>`count(*)::int`, messages: sql<number>`count(distinct ${kindCorrections.communicationId})::int` }).from(kindCorrections);
  const kinds = await db
    .select({ from: kindCorrections.oldKind, to: sql<string>`${kindCorrections.newKind}`, n: sql<number>`count(*)::int` })
    .from(kindCorrections)
    .where(sql`${kindCorrections.newKind} is not null`)
    .groupBy(kindCorrections.oldKind, kindCorrections.newKind)
    .orderBy(desc(sql`count(*)`), asc(kindCorrections.oldKind), asc(kindCorrections.newKind));
  const sentiments = await db
    .select({ to: sql<string>`${kindCorrections.newSentiment}`, n: sql<number>`count(*)::int` })
    .from(kindCorrections)
    .where(sql`${kindCorrections.newSentiment} is not null`)
    .groupBy(kindCorrections.newSentiment)
    .orderBy(asc(kindCorrections.newSentiment));
  const sources = await db.select({ source: kindCorrections.source, n: sql<number>`count(*)::int` }).from(kindCorrections).groupBy(kindCorrections.source).orderBy(asc(kindCorrections.source));
  return {
    total: Number(totals?.total ?? 0),
    messages: Number(totals?.messages ?? 0),
    kinds: kinds.map((k) => ({ ...k, n: Number(k.n) })),
    sentiments: sentiments.map((s) => ({ ...s, n: Number(s.n) })),
    bySource: Object.fromEntries(sources.map((s) => [s.source, Number(s.n)])),
  };
}

// ---- model versions ----

export interface StoredKindModel<M = unknown> {
  id: string;
  version: number;
  promoted: boolean;
  metrics: Record<string, unknown>;
  model: M;
  createdAt: Date;
}

export async function saveKindModel<M extends object>(db: DbOrTx, model: M, metrics: object, promoted: boolean): Promise<{ id: string; version: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('rapport:kind_models'))`);
    const [max] = await tx.select({ v: sql<number>`coalesce(max(${kindModels.version}), 0)` }).from(kindModels);
    const version = Number(max?.v ?? 0) + 1;
    const [row] = await tx.insert(kindModels).values({ version, promoted, metrics, model: { ...model, version } }).returning({ id: kindModels.id });
    return { id: row!.id, version };
  });
}

/** The model that classifies new messages: the newest promoted version, or null (the built-in default). */
export async function liveKindModel<M>(db: DbOrTx): Promise<StoredKindModel<M> | null> {
  const [row] = await db.select().from(kindModels).where(eq(kindModels.promoted, true)).orderBy(desc(kindModels.version)).limit(1);
  return row ? { ...row, metrics: row.metrics as Record<string, unknown>, model: row.model as M } : null;
}

/** Versions newest first, without their weights. */
export async function kindModelVersions(db: DbOrTx, limit = 20): Promise<Omit<StoredKindModel, 'model'>[]> {
  const rows = await db
    .select({ id: kindModels.id, version: kindModels.version, promoted: kindModels.promoted, metrics: kindModels.metrics, createdAt: kindModels.createdAt })
    .from(kindModels)
    .orderBy(desc(kindModels.version))
    .limit(limit);
  return rows.map((r) => ({ ...r, metrics: r.metrics as Record<string, unknown> }));
}

/** The live model's version (0: none promoted, the default), a cheap check for a newer one. */
export async function liveKindModelVersion(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ v: sql<number>`coalesce(max(${kindModels.version}), 0)` }).from(kindModels).where(eq(kindModels.promoted, true));
  return Number(row?.v ?? 0);
}
