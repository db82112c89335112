// Keywords by TF-IDF. Document frequencies are kept incrementally — every captured message adds its
// distinct terms — so a message's keywords can be computed the moment it arrives. The DF structure
// here is plain data; the store persists the same counts in a table and hands them back as a DfView.

export interface DfView {
  /** Number of documents counted. */
  readonly documents: number;
  /** In how many of them `term` occurs (0 when unknown). */
  df(term: string): number;
}

export interface DocumentFrequencies {
  documents: number;
  counts: Map<string, number>;
}

export interface ScoredTerm {
  term: string;
  score: number;
}

export interface KeywordOptions {
  /** How many keywords (default 10). */
  limit?: number;
  /**
   * A phrase (bigram) counts only once it has been seen in this many documents, this one included
   * (default 2): a collocation, not an accident of one message.
   */
  minPhraseDf?: number;
}

export function emptyDf(): DocumentFrequencies {
  return { documents: 0, counts: new Map() };
}

export function dfView(df: DocumentFrequencies): DfView {
  return { documents: df.documents, df: (t) => df.counts.get(t) ?? 0 };
}

/** Count one document's distinct terms (mutates and returns `df`). */
export function addDocument(df: DocumentFrequencies, terms: readonly string[]): DocumentFrequencies {
  df.documents += 1;
  for (const t of new Set(terms)) df.counts.set(t, (df.counts.get(t) ?? 0) + 1);
  return df;
}

/** Undo `addDocument` (a message deleted or re-analyzed). */
export function removeDocument(df: DocumentFrequencies, terms: readonly string[]): DocumentFrequencies {
  df.documents = Math.max(0, df.documents - 1);
  for (const t of new Set(terms)) {
    const n = (df.counts.get(t) ?? 0) - 1;
    if (n > 0) df.counts.set(t, n);
    else df.counts.delete(t);
  }
  return df;
}

/** Drop terms seen in fewer than `minDf` documents (keeps the table small; rare phrases go first). */
export function pruneDf(df: DocumentFrequencies, minDf: number): DocumentFrequencies {
  for (const [t, n] of df.counts) if (n < minDf) df.counts.delete(t);
  return df;
}

/** Smoothed inverse document frequency: ln((1 + N) / (1 + df)) + 1, never below 1. */
export function idf(view: DfView, term: string): number {
  return Math.log((1 + view.documents) / (1 + view.df(term))) + 1;
}

const isPhrase = (term: string) => term.includes(' ');

/** TF-IDF weights of one document's terms (tf = count / terms), phrases below minPhraseDf left out. */
export function tfidf(terms: readonly string[], view: DfView, minPhraseDf = 2): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  const weights = new Map<string, number>();
  const n = terms.length || 1;
  for (const [t, c] of counts) {
    if (isPhrase(t) && view.df(t) < minPhraseDf) continue;
    weights.set(t, (c / n) * idf(view, t));
  }
  return weights;
}

/**
 * The best terms of a weight map. A phrase stands for its words: once "refund request" is in, a
 * lone "refund" or "request" is dropped, whether it ranked above or below the phrase.
 */
export function topTerms(weights: Map<string, number>, limit = 10): ScoredTerm[] {
  const ranked = [...weights].sort((a, b) => b[1] - a[1] || Number(isPhrase(b[0])) - Number(isPhrase(a[0])) || (a[0] < b[0] ? -1 : 1));
  let out: ScoredTerm[] = [];
  const covered = new Set<string>();
  for (const [term, score] of ranked) {
    if (out.length >= limit) break;
    if (!isPhrase(term) && covered.has(term)) continue;
    if (isPhrase(term)) {
      const words = term.split(' ');
      for (const w of words) covered.add(w);
      out = out.filter((t) => !words.includes(t.term));
    }
    out.push({ term, score });
  }
  return out;
}

/** Keywords of one message. */
export function messageKeywords(terms: readonly string[], view: DfView, opts: KeywordOptions = {}): ScoredTerm[] {
  return topTerms(tfidf(terms, view, opts.minPhraseDf), opts.limit);
}

/**
 * Keywords of a group of messages (a customer, a company, a segment): each message's TF-IDF vector
 * is normalized to length 1 and the vectors summed, so one long message does not outweigh many.
 */
export function groupKeywords(documents: readonly (readonly string[])[], view: DfView, opts: KeywordOptions = {}): ScoredTerm[] {
  const sum = new Map<string, number>();
  for (const terms of documents) {
    const w = tfidf(terms, view, opts.minPhraseDf);
    let norm = 0;
    for (const v of w.values()) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    for (const [t, v] of w) sum.set(t, (sum.get(t) ?? 0) + v / norm);
  }
  return topTerms(sum, opts.limit);
}

export interface TrendingTerm {
  term: string;
  /** Share of recent messages containing the term. */
  recentShare: number;
  /** Share of messages of the previous period containing it. */
  previousShare: number;
  recentCount: number;
  /** recentShare − previousShare: the ranking key. */
  rise: number;
  /** Not seen at all in the previous period (every term is new when that period had no messages). */
  isNew: boolean;
}

export interface TrendingOptions {
  limit?: number;
  /**
   * A term must occur in at least this many recent messages (default 3; 2 when fewer than 30
   * messages are recent, so a quiet week still shows what is being talked about).
   */
  minCount?: number;
}

/**
 * Terms whose share of messages rose most in `recent` against `previous` (each a list of term
 * lists). A term absent before is marked new; with no previous messages every term is new and the
 * most frequent come first.
 */
export function trendingTerms(
  recent: readonly (readonly string[])[],
  previous: readonly (readonly string[])[],
  opts: TrendingOptions = {},
): TrendingTerm[] {
  const docCounts = (docs: readonly (readonly string[])[]) => {
    const m = new Map<string, number>();
    for (const d of docs) for (const t of new Set(d)) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  };
  const r = docCounts(recent);
  const p = docCounts(previous);
  const nr = recent.length || 1;
  const np = previous.length || 1;
  const minCount = opts.minCount ?? (recent.length < 30 ? 2 : 3);
  const out: TrendingTerm[] = [];
  for (const [term, c] of r) {
    if (c < minCount) continue;
    const recentShare = c / nr;
    const before = p.get(term) ?? 0;
    const previousShare = before / np;
    const rise = recentShare - previousShare;
    if (rise > 0) out.push({ term, recentShare, previousShare, recentCount: c, rise, isNew: before === 0 });
  }
  out.sort((a, b) => b.rise - a.rise || Number(isPhrase(b.term)) - Number(isPhrase(a.term)) || (a.term < b.term ? -1 : 1));
  const covered = new Set<string>();
  let result: TrendingTerm[] = [];
  for (const t of out) {
    if (result.length >= (opts.limit ?? 10)) break;
    if (!isPhrase(t.term) && covered.has(t.term)) continue;
    if (isPhrase(t.term)) {
      const words = t.term.split(' ');
      for (const w of words) covered.add(w);
      // A word that rose no more than its phrase is the phrase rising.
      result = result.filter((x) => !words.includes(x.term) || x.recentCount > t.recentCount);
    }
    result.push(t);
  }
  return result;
}
