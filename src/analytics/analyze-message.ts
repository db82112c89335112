// Everything analytics adds to one message at capture time: language, TF-IDF keywords against the
// document frequencies known so far, sentiment and kind. Pure: the caller supplies the DF view (and
// counts the message's terms into it afterwards) and the live kind model, as data.
import { messageKeywords, type DfView } from './keywords.js';
import { classifyMessage, type KindModel } from './kind-model.js';
import { classifyKind, type Kind, type KindConfig } from './kind.js';
import type { Language } from './language.js';
import { sentimentOf, type SentimentLabel } from './sentiment.js';
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
  /** The learned kind/sentiment classifier. */
  kindModel?: KindModel | null;
  /** Cue rules instead of the model (RAPPORT_KIND_RULES, deprecated); also used when there is no model. */
  kindConfig?: KindConfig;
  keywordLimit?: number;
}

export function analyzeMessage(subject: string | null | undefined, text: string, df: DfView, opts: AnalyzeOptions = {}): MessageAnalysis {
  const whole = subject ? `${subject}\n${text}` : text;
  const { language, chunks } = analyzeText(whole, { userWords: opts.userWords ?? [] });
  const terms = termsOf(chunks);
  const judged = opts.kindModel && !opts.kindConfig ? learned(opts.kindModel, whole) : rules(whole, text || subject || '', opts);
  // This message counts as one of the documents of its own keywords (a phrase seen before once
  // becomes a collocation now), as it will once the caller adds it.
  const termSet = new Set(terms);
  const selfView: DfView = { documents: df.documents + 1, df: (t) => df.df(t) + (termSet.has(t) ? 1 : 0) };
  return {
    language,
    terms,
    keywords: messageKeywords(terms, selfView, { limit: opts.keywordLimit ?? 8 }).map((k) => k.term),
    ...judged,
    sentiment: Math.round(judged.sentiment * 1000) / 1000,
    kindConfidence: Math.round(judged.kindConfidence * 100) / 100,
  };
}

type Judgement = Pick<MessageAnalysis, 'sentiment' | 'sentimentLabel' | 'kind' | 'kindConfidence'>;

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
