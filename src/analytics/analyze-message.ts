// Everything analytics adds to one message at capture time: language, TF-IDF keywords against the
// document frequencies known so far, sentiment and kind. Pure: the caller supplies the DF view and
// counts the message's terms into it afterwards.
import { messageKeywords, type DfView } from './keywords.js';
import { classifyKind, defaultKindConfig, type Kind, type KindConfig } from './kind.js';
import type { Language } from './language.js';
import { sentimentOf, type SentimentLabel } from './sentiment.js';
import { boundText } from './text-bounds.js';
import { analyzeText, termsOf } from './text-terms.js';

export interface MessageAnalysis {
  language: Language;
  /** Every term (words and adjacent-word phrases), what the DF table counts. */
  terms: string[];
  keywords: string[];
  sentiment: number;
  sentimentLabel: SentimentLabel;
  kind: Kind;
  kindConfidence: number;
}

export interface AnalyzeOptions {
  userWords?: readonly string[];
  /** Known names to leave out of the keywords (names.ts). */
  names?: ReadonlySet<string>;
  kindConfig?: KindConfig;
  keywordLimit?: number;
}

export function analyzeMessage(subject: string | null | undefined, text: string, df: DfView, opts: AnalyzeOptions = {}): MessageAnalysis {
  const whole = boundText(subject ? `${subject}\n${text}` : text);
  const { language, chunks } = analyzeText(whole, { userWords: opts.userWords ?? [], ...(opts.names ? { names: opts.names } : {}) });
  const terms = termsOf(chunks);
  const sentiment = sentimentOf(text || subject || '', { userWords: opts.userWords ?? [] });
  const kind = classifyKind(whole, sentiment, opts.kindConfig ?? defaultKindConfig);
  // This message counts as one of the documents of its own keywords (a phrase seen before once
  // becomes a collocation now), as it will once the caller adds it.
  const termSet = new Set(terms);
  const selfView: DfView = { documents: df.documents + 1, df: (t) => df.df(t) + (termSet.has(t) ? 1 : 0) };
  return {
    language,
    terms,
    keywords: messageKeywords(terms, selfView, { limit: opts.keywordLimit ?? 8 }).map((k) => k.term),
    sentiment: Math.round(sentiment.score * 1000) / 1000,
    sentimentLabel: sentiment.label,
    kind: kind.kind,
    kindConfidence: Math.round(kind.confidence * 100) / 100,
  };
}
