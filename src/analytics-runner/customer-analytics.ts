// What the customer API, the Slack lookup card and the digest show from analytics: a customer's
// current segment (with history), value tier, and keywords. (The digest's view is in src/jobs/digests.ts.)
import { addDocument, emptyDf } from '../analytics/keywords.js';
import { toSimplified } from '../analytics/chinese-script.js';
import { searchTextOf } from '../analytics/segment.js';
import { analyzeText, termsOf } from '../analytics/text-terms.js';
import type { AppContext } from '../context.js';
import { replaceDocumentFrequencies, segmentHistory, updateSearchText, valueTierHistory, type SegmentHistoryEntry } from '../store/analytics-repo.js';
import { communicationTexts } from '../store/analytics-queries.js';
import { namesToLeaveOut } from './known-names.js';
import { keywordsFor } from './keywords-query.js';
import { noProgress, type Progress } from './progress.js';

export interface CustomerAnalytics {
  segment: SegmentHistoryEntry | null;
  /** Earlier runs where the segment differed, newest first. */
  segmentChanges: SegmentHistoryEntry[];
  valueTier: { tier: string; confidence: number; modelVersion: number } | null;
  keywords: string[];
}

export async function customerAnalytics(ctx: AppContext, customerId: string): Promise<CustomerAnalytics> {
  const db = ctx.database.db;
  const history = await segmentHistory(db, customerId);
  const changes = history.filter((h, i) => i > 0 && h.en !== history[i - 1]?.en);
  const [tier] = await valueTierHistory(db, customerId, 1);
  const kw = await keywordsFor(ctx, { customer: customerId, limit: 10, sample: 500 });
  return {
    segment: history[0] ?? null,
    segmentChanges: changes,
    valueTier: tier ? { tier: tier.tier, confidence: tier.confidence, modelVersion: tier.version } : null,
    keywords: kw.keywords.map((k) => k.term),
  };
}

/**
 * Recount document frequencies from every stored communication (the nightly exact rebuild). On the
 * way, messages in traditional Chinese get their search text segmented again, folded to simplified
 * (messages captured before the folding existed).
 */
export async function rebuildDocumentFrequencies(ctx: AppContext, progress: Progress = noProgress): Promise<{ documents: number; terms: number }> {
  const db = ctx.database.db;
  const df = emptyDf();
  const names = await namesToLeaveOut(ctx, true);
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await communicationTexts(db, { afterId: after, limit: 2000 });
    for (const r of rows) addDocument(df, termsOf(analyzeText(r.subject ? `${r.subject}\n${r.text}` : r.text, { userWords: ctx.config.RAPPORT_ANALYTICS_USER_WORDS, names }).chunks));
    const traditional = rows.filter((r) => toSimplified(r.text) !== r.text || (r.subject !== null && toSimplified(r.subject) !== r.subject));
    await updateSearchText(db, traditional.map((r) => ({ id: r.id, searchText: searchTextOf(r.subject, r.text) })));
    progress('counting terms', df.documents, df.documents + (rows.length === 2000 ? 2000 : 0));
    if (rows.length < 2000) break;
    after = rows.at(-1)?.id as string;
  }
  await db.transaction((tx) => replaceDocumentFrequencies(tx, df));
  return { documents: df.documents, terms: df.counts.size };
}

