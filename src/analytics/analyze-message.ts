// Everything analytics adds to one message at capture time: language, terms, sentiment and kind
// from the message alone (`analyzeContent`, what the capture worker's threads compute), and TF-IDF
// keywords against the document frequencies known so far (`keywordsOf`, which needs the counts).
// Pure: the caller supplies the DF view and counts the message's terms into it afterwards.
import { messageKeywords, type DfView } from './keywords.js';
import { classifyKind, defaultKindConfig, type Kind, type KindConfig } from './kind.js';
import type { Language } from './language.js';
import { searchTextOf } from './segment.js';
import { sentimentOf, type SentimentLabel } from './sentiment.js';
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
  kindConfig?: KindConfig;
  keywordLimit?: number;
}

export function analyzeContent(subject: string | null | undefined, text: string, opts: AnalyzeOptions = {}): ContentAnalysis {
  const whole = subject ? `${subject}\n${text}` : text;
  const { language, chunks } = analyzeText(whole, { userWords: opts.userWords ?? [] });
  const terms = termsOf(chunks);
  const sentiment = sentimentOf(text || subject || '', { userWords: opts.userWords ?? [] });
  const kind = classifyKind(whole, sentiment, opts.kindConfig ?? defaultKindConfig);
  return {
    language,
    terms,
    sentiment: Math.round(sentiment.score * 1000) / 1000,
    sentimentLabel: sentiment.label,
    kind: kind.kind,
    kindConfidence: Math.round(kind.confidence * 100) / 100,
    searchText: searchTextOf(subject, text),
  };
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
