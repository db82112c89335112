// `rapport keywords`: top keywords per customer, company, segment or overall, and trending terms.
// Terms are recomputed from the texts (the most recent `limit` messages of the group), weighted
// by the database's document frequencies.
import { dfView, emptyDf, addDocument, groupKeywords, trendingTerms, type ScoredTerm, type TrendingTerm } from '../analytics/keywords.js';
import { analyzeText, termsOf } from '../analytics/text-terms.js';
import { RapportError } from '../core/errors.js';
import type { AppContext } from '../context.js';
import { dfViewFor, segmentMembers } from '../store/analytics-repo.js';
import { communicationTexts, resolveCustomer, type TextRow } from '../store/analytics-queries.js';
import { namesToLeaveOut } from './known-names.js';
import { noProgress, type Progress } from './progress.js';

export interface KeywordQuery {
  customer?: string | undefined;
  companyId?: string | undefined;
  segment?: string | undefined;
  limit?: number;
  /** Messages read per group (default 5000, most recent first). */
  sample?: number;
}

export interface KeywordResult {
  scope: string;
  messages: number;
  keywords: ScoredTerm[];
}

function termsOfRows(rows: TextRow[], userWords: string[], names: ReadonlySet<string>, progress: Progress, phase: string): string[][] {
  return rows.map((r, i) => {
    if (i % 500 === 0) progress(phase, i, rows.length);
    return termsOf(analyzeText(r.subject ? `${r.subject}\n${r.text}` : r.text, { userWords, names }).chunks);
  });
}

export async function keywordsFor(ctx: AppContext, q: KeywordQuery, progress: Progress = noProgress): Promise<KeywordResult> {
  const db = ctx.database.db;
  const sample = q.sample ?? 5000;
  let scope = 'all customers';
  let customerIds: string[] | undefined;
  if (q.customer) {
    const c = await resolveCustomer(db, q.customer);
    if (!c) throw new RapportError('not_found', `customer ${q.customer} not found`, { id: q.customer });
    customerIds = [c.id];
    scope = `customer ${c.name}`;
  } else if (q.segment) {
    const members = await segmentMembers(db, q.segment);
    if (members === null) throw new RapportError('not_found', 'no segments yet: run `rapport segments run` first');
    if (!members.length) throw new RapportError('not_found', `segment ${q.segment} not found in the latest run`, { id: q.segment });
    customerIds = members;
    scope = `segment ${q.segment}`;
  } else if (q.companyId) {
    scope = `company ${q.companyId}`;
  }
  const rows = await communicationTexts(db, { customerIds, companyId: q.companyId, limit: sample });
  const docs = termsOfRows(rows, ctx.config.RAPPORT_ANALYTICS_USER_WORDS, await namesToLeaveOut(ctx), progress, 'reading messages');
  const view = await dfViewFor(db, docs.flat());
  // Before any DF was counted (a fresh install), the group itself is the corpus.
  const effective = view.documents > 0 ? view : dfView(docs.reduce((df, d) => addDocument(df, d), emptyDf()));
  return { scope, messages: rows.length, keywords: groupKeywords(docs, effective, { limit: q.limit ?? 15 }) };
}

export interface TrendingResult {
  days: number;
  recentMessages: number;
  previousMessages: number;
  terms: TrendingTerm[];
}

/** Terms whose share of messages rose most in the last `days` against the `days` before. */
export async function trendingKeywords(ctx: AppContext, days: number, opts: { limit?: number; sample?: number; now?: Date } = {}, progress: Progress = noProgress): Promise<TrendingResult> {
  if (!Number.isFinite(days) || days <= 0) throw new RapportError('validation', 'the trending window must be a positive number of days (e.g. 7d)');
  const db = ctx.database.db;
  const now = opts.now ?? new Date();
  const mid = new Date(now.getTime() - days * 86_400_000);
  const start = new Date(mid.getTime() - days * 86_400_000);
  const sample = opts.sample ?? 20_000;
  const recentRows = await communicationTexts(db, { from: mid, to: now, limit: sample });
  const previousRows = await communicationTexts(db, { from: start, to: mid, limit: sample });
  const words = ctx.config.RAPPORT_ANALYTICS_USER_WORDS;
  const names = await namesToLeaveOut(ctx);
  const recent = termsOfRows(recentRows, words, names, progress, 'recent messages');
  const previous = termsOfRows(previousRows, words, names, progress, 'previous messages');
  return { days, recentMessages: recent.length, previousMessages: previous.length, terms: trendingTerms(recent, previous, { limit: opts.limit ?? 15 }) };
}

/** "7d", "2w", "30" → days. */
export function parseWindow(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([dw]?)\s*$/i.exec(text);
  if (!m) throw new RapportError('validation', `cannot read the window "${text}": use days like 7d or weeks like 2w`);
  return Number(m[1]) * (m[2]?.toLowerCase() === 'w' ? 7 : 1);
}
