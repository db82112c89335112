// The text pipeline of analytics: a message becomes runs ("chunks") of content words — English
// lemmas from wink-nlp, Chinese words from jieba — with stop words, punctuation and entities
// (emails, URLs, numbers, money, dates) removed. A removed token ends a chunk, so two words form a
// phrase (bigram) only when they were adjacent in the text: "refund request", "发货 延迟".
import { detectLanguage, type Language } from './language.js';
import type { ItemToken, ItsFunction } from 'wink-nlp';
import { getNlp } from './nlp.js';
import { getJiebaWith } from './segment.js';
import { chineseStopWords, englishExtraStopWords } from './stopwords.js';

export interface TextOptions {
  /** Product names and other words to keep whole (Chinese) and never drop or lemmatize (English). */
  userWords?: readonly string[];
}

export interface AnalyzedText {
  language: Language;
  /** Content words in order; a new chunk starts after anything that was dropped. */
  chunks: string[][];
}

const HAN_OR_REST = /(\p{Script=Han}+)|([^\p{Script=Han}]+)/gu;
const HAN = /\p{Script=Han}/u;
const LETTER = /\p{L}/u;
const DIGIT = /\d/;

export function analyzeText(text: string, opts: TextOptions = {}): AnalyzedText {
  const chunks: string[][] = [];
  let current: string[] = [];
  const cut = () => {
    if (current.length) chunks.push(current);
    current = [];
  };
  const keepLatin = new Set((opts.userWords ?? []).filter((w) => !HAN.test(w)).map((w) => w.toLowerCase()));
  const jieba = getJiebaWith(opts.userWords ?? []);
  for (const m of text.matchAll(HAN_OR_REST)) {
    cut(); // a change of script ends a phrase
    if (m[1]) {
      for (const w of jieba.cut(m[1], false)) {
        if (w.length < 2 || chineseStopWords.has(w) || !HAN.test(w)) cut();
        else current.push(w);
      }
    } else if (m[2] && LETTER.test(m[2])) {
      englishWords(m[2], keepLatin, (w) => (w === null ? cut() : current.push(w)));
    }
  }
  cut();
  return { language: detectLanguage(text), chunks };
}

const CLITIC = /^['’]|^n['’]t$/;

function englishWords(text: string, keep: ReadonlySet<string>, emit: (word: string | null) => void): void {
  const nlp = getNlp();
  const its = nlp.its;
  nlp.readDoc(text).tokens().each((t: ItemToken) => {
    const normal = String(t.out(its.normal));
    if (keep.has(normal)) return emit(normal);
    if (t.out(its.type) !== 'word' || t.parentEntity() !== undefined || t.out(its.stopWordFlag)) return emit(null);
    const lemma = String(t.out(its.lemma as unknown as ItsFunction<string>)).toLowerCase();
    // Clitics ("Emily's", "don't") come out as tokens of their own: 's, n't, 're, 'll…
    if (lemma.length < 2 || !LETTER.test(lemma) || DIGIT.test(lemma) || CLITIC.test(lemma) || englishExtraStopWords.has(normal) || englishExtraStopWords.has(lemma)) {
      return emit(null);
    }
    emit(lemma);
  });
}

/** Unigrams and adjacent-word bigrams ("refund request") of analyzed text: the terms of TF-IDF. */
export function termsOf(chunks: readonly (readonly string[])[], bigrams = true): string[] {
  const terms: string[] = [];
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      terms.push(chunk[i] as string);
      if (bigrams && i + 1 < chunk.length && chunk[i + 1] !== chunk[i]) terms.push(`${chunk[i]} ${chunk[i + 1]}`);
    }
  }
  return terms;
}

/** The content words of a text, flattened (the input of word vectors). */
export function wordsOf(text: string, opts: TextOptions = {}): string[] {
  return analyzeText(text, opts).chunks.flat();
}
