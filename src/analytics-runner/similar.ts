// `rapport vectors train` and `rapport similar`: skip-gram vectors trained on the stored
// communications, a document vector per communication, and a search over them for a message or
// free text.
import { dfView, emptyDf, addDocument, type DfView } from '../analytics/keywords.js';
import { createVectorizer, mostSimilar, type DocumentVector } from '../analytics/similarity.js';
import { analyzeText, termsOf } from '../analytics/text-terms.js';
import { trainWordVectors, word2vecPreset, type Word2VecOptions } from '../analytics/word2vec.js';
import { RapportError } from '../core/errors.js';
import type { AppContext } from '../context.js';
import {
  dfViewFor, latestWordVectors, loadCommunicationVectors, loadDocumentFrequencies, saveCommunicationVectors, saveWordVectors,
} from '../store/analytics-repo.js';
import { communicationById, communicationTexts, customerNames } from '../store/analytics-queries.js';
import { namesToLeaveOut } from './known-names.js';
import { noProgress, type Progress } from './progress.js';

const PAGE = 2000;

export interface VectorTrainResult {
  version: number;
  documents: number;
  vocabulary: number;
  dimensions: number;
  ms: number;
}

export async function trainVectors(ctx: AppContext, opts: Word2VecOptions = {}, progress: Progress = noProgress): Promise<VectorTrainResult> {
  const started = performance.now();
  const db = ctx.database.db;
  const words = ctx.config.RAPPORT_ANALYTICS_USER_WORDS;
  const names = await namesToLeaveOut(ctx);
  const docs: { id: string; terms: string[]; chunks: string[][] }[] = [];
  let after: string | undefined;
  for (;;) {
    const rows = await communicationTexts(db, { afterId: after ?? '00000000-0000-0000-0000-000000000000', limit: PAGE });
    for (const r of rows) {
      const { chunks } = analyzeText(r.subject ? `${r.subject}\n${r.text}` : r.text, { userWords: words, names });
      docs.push({ id: r.id, terms: termsOf(chunks), chunks });
    }
    progress('reading messages', docs.length, docs.length + (rows.length === PAGE ? PAGE : 0));
    if (rows.length < PAGE) break;
    after = rows.at(-1)?.id;
  }
  if (!docs.length) throw new RapportError('validation', 'no communications to learn from yet');
  const sentences = docs.map((d) => d.chunks.flat());
  const preset = { ...word2vecPreset(sentences.reduce((s, x) => s + x.length, 0)), ...opts };
  const model = trainWordVectors(sentences, { ...preset, onEpoch: (e, n) => progress('training', e, n) });
  const version = await saveWordVectors(db, model, docs.length, { ...preset, onEpoch: undefined });
  const stored = await loadDocumentFrequencies(db, 1);
  const view: DfView = stored.documents > 0 ? dfView(stored) : dfView(docs.reduce((df, d) => addDocument(df, d.terms), emptyDf()));
  const vectorizer = createVectorizer(model, view);
  for (let i = 0; i < docs.length; i += 500) {
    const part = docs.slice(i, i + 500);
    await saveCommunicationVectors(db, version, part.map((d) => ({ communicationId: d.id, terms: d.terms, vector: vectorizer.vectorize(d.terms).dense })));
    progress('saving vectors', Math.min(docs.length, i + 500), docs.length);
  }
  return { version, documents: docs.length, vocabulary: model.words.length, dimensions: model.dimensions, ms: Math.round(performance.now() - started) };
}

export interface SimilarHit {
  id: string;
  score: number;
  customerId: string | null;
  customerName: string | null;
  occurredAt: string;
  subject: string | null;
  /** The first 200 characters of the text. */
  snippet: string;
}

export async function similarTo(ctx: AppContext, q: { text?: string | undefined; communicationId?: string | undefined; limit?: number }): Promise<{ modelVersion: number; results: SimilarHit[] }> {
  const db = ctx.database.db;
  const latest = await latestWordVectors(db);
  if (!latest) throw new RapportError('not_found', 'no word-vector model yet: run `rapport vectors train` first');
  let text = q.text;
  if (q.communicationId) {
    const found = await communicationById(db, q.communicationId);
    if (!found) throw new RapportError('not_found', `communication ${q.communicationId} not found`, { id: q.communicationId });
    text = found.subject ? `${found.subject}\n${found.text}` : found.text;
  }
  if (!text?.trim()) throw new RapportError('validation', 'give a text or --communication ID');
  const terms = termsOf(analyzeText(text, { userWords: ctx.config.RAPPORT_ANALYTICS_USER_WORDS, names: await namesToLeaveOut(ctx) }).chunks);
  const candidates = await loadCommunicationVectors(db, latest.version);
  const view = await dfViewFor(db, [...terms, ...candidates.flatMap((c) => c.terms)]);
  const vectorizer = createVectorizer(latest.model, view.documents > 0 ? view : dfView(candidates.reduce((df, c) => addDocument(df, c.terms), emptyDf())));
  const query = vectorizer.vectorize(terms);
  const hits = mostSimilar<string>(query, candidates.map((c) => ({ id: c.communicationId, vector: sparseWith(vectorizer.vectorize(c.terms), c.vector) })), {
    limit: q.limit ?? 5, exclude: q.communicationId,
  });
  const rows = await Promise.all(hits.map((h) => communicationById(db, h.id)));
  const names = await customerNames(db, rows.flatMap((r) => (r?.customerId ? [r.customerId] : [])));
  return {
    modelVersion: latest.version,
    results: hits.map((h, i) => {
      const r = rows[i];
      return {
        id: h.id, score: Math.round(h.score * 1000) / 1000, customerId: r?.customerId ?? null, customerName: r?.customerId ? names.get(r.customerId) ?? null : null,
        occurredAt: r?.occurredAt.toISOString() ?? '', subject: r?.subject ?? null, snippet: (r?.text ?? '').slice(0, 200),
      };
    }),
  };
}

/** The stored dense vector with a freshly weighted sparse part (DF moves on after training). */
function sparseWith(v: DocumentVector, dense: Float32Array): DocumentVector {
  return { dense, sparse: v.sparse };
}
