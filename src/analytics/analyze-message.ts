// Everything analytics adds to one message at capture time: language, terms, sentiment and kind
// from the message alone (`analyzeContent`, what the capture worker's threads compute), and TF-IDF
// keywords against the document frequencies known so far (`keywordsOf`, which needs the counts).
// Pure: the caller supplies the DF view (and counts the message's terms into it afterwards) and the
// live kind model, as data.
import { messageKeywords, type DfView } from './keywords.js';
import { classifyMessage, type KindModel } from './kind-model.js';
import { classifyKind, type Kind, type KindConfig } from './kind.js';
import type { Language } from './language.js';
import { searchTextOf } from './segment.js';
import { sentimentOf, type SentimentLabel } from './sentiment.js';
import { boundText } from './text-bounds.js';
import { analyzeText, termsOf } from './text-terms.js';

export interface ContentAnalysis {
  language: Language;
  /** Every term (words and adjacent-word phrases), what the DF table counts. */
  terms: string[];
  sentiment: number;
  sentimentLabel: SentimentLabel;
  kind: Kind;
  kindConfidence: number;
  /** Subject and text as space-separated words (Chinese segmented), for full-text search. */
  searchText: string;
  /** Flags analysis adds to the message (a detected auto-reply, …). */
  flags?: string[] | undefined;
}

export interface MessageAnalysis extends ContentAnalysis {
  keywords: string[];
}

export interface AnalyzeOptions {
  userWords?: readonly string[];
  /** The learned kind/sentiment classifier. */
  kindModel?: KindModel | null;
  /** Known names to leave out of the terms and keywords (names.ts). */
  names?: ReadonlySet<string>;
  /** Cue rules instead of the model (RAPPORT_KIND_RULES, deprecated); also used when there is no model. */
  kindConfig?: KindConfig;
  keywordLimit?: number;
}

export function analyzeContent(subject: string | null | undefined, text: string, opts: AnalyzeOptions = {}): ContentAnalysis {
  const whole = boundText(subject ? `${subject}\n${text}` : text);
  const { language, chunks } = analyzeText(whole, { userWords: opts.userWords ?? [], ...(opts.names ? { names: opts.names } : {}) });
  const terms = termsOf(chunks);
  const judged = opts.kindModel && !opts.kindConfig ? learned(opts.kindModel, whole) : rules(whole, text || subject || '', opts);
  return {
    language,
    terms,
    ...judged,
    sentiment: Math.round(judged.sentiment * 1000) / 1000,
    kindConfidence: Math.round(judged.kindConfidence * 100) / 100,
    searchText: searchTextOf(subject, text),
  };
}

/**
 * Terms without known names: what analysis with `names` would have given (a name ends a phrase, so
 * no phrase spans it). The capture worker applies the names here, after its threads analyzed the
 * text, because names change while the threads run.
 */
export function withoutNames(terms: readonly string[], names: ReadonlySet<string>): string[] {
  if (names.size === 0) return [...terms];
  return terms.filter((t) => !t.split(' ').some((w) => names.has(w)));
}

/** A message's keywords, counting the message itself as one of the documents (as it will be once added). */
export function keywordsOf(terms: readonly string[], df: DfView, limit = 8): string[] {
  // A phrase seen before once becomes a collocation now.
  const termSet = new Set(terms);
  const selfView: DfView = { documents: df.documents + 1, df: (t) => df.df(t) + (termSet.has(t) ? 1 : 0) };
  return messageKeywords(terms, selfView, { limit }).map((k) => k.term);
}

export function analyzeMessage(subject: string | null | undefined, text: string, df: DfView, opts: AnalyzeOptions = {}): MessageAnalysis {
  const content = analyzeContent(subject, text, opts);
  return { ...content, keywords: keywordsOf(content.terms, df, opts.keywordLimit ?? 8) };
}

type Judgement = Pick<ContentAnalysis, 'sentiment' | 'sentimentLabel' | 'kind' | 'kindConfidence'>;

const labelOf = { neg: 'negative', neu: 'neutral', pos: 'positive' } as const;

function learned(model: KindModel, whole: string): Judgement {
  const p = classifyMessage(model, whole);
  return { sentiment: p.sentimentScore, sentimentLabel: labelOf[p.sentiment], kind: p.kind, kindConfidence: p.confidence };
}

function rules(whole: string, body: string, opts: AnalyzeOptions): Judgement {
  const sentiment = sentimentOf(body, { userWords: opts.userWords ?? [] });
  const kind = classifyKind(whole, sentiment, opts.kindConfig);
  return { sentiment: sentiment.score, sentimentLabel: sentiment.label, kind: kind.kind, kindConfidence: kind.confidence };
}
