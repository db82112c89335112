// The text pipeline of analytics: a message becomes runs ("chunks") of content words — English
// lemmas from wink-nlp, Chinese words from jieba — with stop words, punctuation, entities (emails,
// URLs, numbers, money, dates), greetings and names removed. A removed token ends a chunk, so two
// words form a phrase (bigram) only when they were adjacent in the text: "refund request", "发货 延迟".
// Traditional Chinese is folded to simplified first (发票 = 發票), and the input is bounded
// (text-bounds.ts) so analysis stays linear in the size of a message.
import { toSimplified } from './chinese-script.js';
import { englishWords } from './english-words.js';
import { detectLanguage, type Language } from './language.js';
import { getJiebaWith } from './segment.js';
import { isChineseName } from './chinese-names.js';
import { chineseStopWords } from './stopwords.js';
import { boundText } from './text-bounds.js';

export interface TextOptions {
  /** Product names and other words to keep whole (Chinese) and never drop or lemmatize (English). */
  userWords?: readonly string[];
  /**
   * Names to leave out (customers, staff, companies; see names.ts): lower-case English words and
   * simplified Chinese words.
   */
  names?: ReadonlySet<string>;
}

export interface AnalyzedText {
  language: Language;
  /** Content words in order; a new chunk starts after anything that was dropped. */
  chunks: string[][];
}

const HAN_OR_REST = /(\p{Script=Han}+)|([^\p{Script=Han}]+)/gu;
const HAN = /\p{Script=Han}/u;
const LETTER = /\p{L}/u;
const noNames: ReadonlySet<string> = new Set();

export function analyzeText(text: string, opts: TextOptions = {}): AnalyzedText {
  const bounded = toSimplified(boundText(text));
  const names = opts.names ?? noNames;
  const chunks: string[][] = [];
  let current: string[] = [];
  const cut = () => {
    if (current.length) chunks.push(current);
    current = [];
  };
  const keepLatin = new Set((opts.userWords ?? []).filter((w) => !HAN.test(w)).map((w) => w.toLowerCase()));
  const keepHan = new Set((opts.userWords ?? []).filter((w) => HAN.test(w)));
  const jieba = getJiebaWith(opts.userWords ?? []);
  for (const m of bounded.matchAll(HAN_OR_REST)) {
    cut(); // a change of script ends a phrase
    if (m[1]) {
      for (const { word, tag } of jieba.tag(m[1], false)) {
        const name = !keepHan.has(word) && (isChineseName(word, tag) || names.has(word));
        if (word.length < 2 || name || chineseStopWords.has(word) || !HAN.test(word)) cut();
        else current.push(word);
      }
    } else if (m[2] && LETTER.test(m[2])) {
      englishWords(m[2], keepLatin, names, m.index === 0, (w) => (w === null ? cut() : current.push(w)));
    }
  }
  cut();
  return { language: detectLanguage(bounded), chunks };
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
