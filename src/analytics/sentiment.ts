// Sentiment of a message in [-1, 1]: English through wink-nlp's sentiment (AFINN-style lexicon with
// negation handling, averaged over sentences); Chinese through our lexicon (sentiment-zh.ts).
// A mixed message is scored per script run and the two parts are weighed by their sentiment words.
import type { ItemToken, ItsFunction } from 'wink-nlp';
import { getNlp, readDoc } from './nlp.js';
import { getJiebaWith } from './segment.js';
import { englishDomainLexicon, englishProblemPhrases } from './sentiment-en.js';
import { scoreChineseWords, toLexiconWords } from './sentiment-zh.js';
import { boundText } from './text-bounds.js';

export type SentimentLabel = 'positive' | 'neutral' | 'negative';

export interface Sentiment {
  score: number;
  label: SentimentLabel;
}

export interface SentimentOptions {
  /** |score| below this is neutral (default 0.1). */
  neutralBand?: number;
  userWords?: readonly string[];
}

const HAN_RUN = /\p{Script=Han}[\p{Script=Han}\p{P}\s]*/gu;
const LETTER = /\p{Script=Latin}/u;

const noWords: readonly string[] = [];

export function sentimentOf(input: string, opts: SentimentOptions = {}): Sentiment {
  const text = boundText(input);
  const band = opts.neutralBand ?? 0.1;
  const hanRuns = text.match(HAN_RUN) ?? [];
  const rest = text.replace(HAN_RUN, ' . ');
  let total = 0;
  let weight = 0;
  if (hanRuns.length) {
    // The keywords' jieba (the same user words), its words made ready for the lexicon.
    const jieba = getJiebaWith(opts.userWords ?? noWords);
    const { sum, hits } = scoreChineseWords(hanRuns.flatMap((r) => [...toLexiconWords(jieba.cut(r, false)), '。']));
    if (hits > 0) {
      // An average that saturates: many strong words → near ±1, one mild word → a mild score.
      total += Math.tanh(sum / Math.sqrt(hits)) * hits;
      weight += hits;
    }
  }
  if (LETTER.test(rest)) {
    const { sum, hits } = scoreEnglish(rest);
    if (hits > 0) {
      total += sum;
      weight += hits;
    }
  }
  // A question asks rather than judges: its sentiment words count half ("does it support…?").
  const question = /[?？]\s*$/.test(text.trim());
  const score = (question ? 0.5 : 1) * (weight ? Math.max(-1, Math.min(1, total / weight)) : 0);
  return { score, label: score >= band ? 'positive' : score <= -band ? 'negative' : 'neutral' };
}

/** wink-nlp's sentence sentiment plus the domain words, as (sum, hits) like the Chinese scorer. */
function scoreEnglish(text: string): { sum: number; hits: number } {
  const nlp = getNlp();
  const its = nlp.its;
  const doc = readDoc(text);
  let sum = 0;
  let hits = 0;
  const wink = Number(doc.out(its.sentiment));
  if (wink !== 0) {
    // wink's score is an average; weigh it like one word per eight tokens.
    const w = Math.max(1, Math.round(doc.tokens().length() / 8));
    sum += wink * w;
    hits += w;
  }
  doc.tokens().each((t: ItemToken) => {
    const lemma = String(t.out(its.lemma as unknown as ItsFunction<string>)).toLowerCase();
    const p = englishDomainLexicon.get(lemma);
    if (p === undefined || p === 0) return;
    sum += t.out(its.negationFlag) ? -0.5 * p : p;
    hits += 1;
  });
  const lower = text.toLowerCase();
  for (const [re, p] of englishProblemPhrases) {
    if (re.test(lower)) {
      sum += p;
      hits += 1;
    }
  }
  return { sum, hits };
}
