// English content words of a text through wink-nlp: lemmas without stop words, entities (emails,
// URLs, numbers, money, dates), greetings, address fragments and names. A name is a known name
// (customers, staff, companies: `names`), or a proper noun by wink's part of speech that is either
// not in wink's vocabulary or capitalized where a sentence or title would not capitalize it
// ("Hi Sam", "Blue Peak Outfitters"); a capitalized common word opening a sentence or in a
// first line written in Title Case (a subject: "Refund Request For Order") stays. Short all-capital words (API, SSO) are kept as terms.
import type { ItemToken, ItsFunction } from 'wink-nlp';
import { getNlp, isUnknownWord, readDoc } from './nlp.js';
import { englishExtraStopWords } from './stopwords.js';

const LETTER = /\p{L}/u;
const DIGIT = /\d/;
const CLITIC = /^['’]|^n['’]t$/;
const ACRONYM = /^X{2,6}$/;
/** A word with a dot or @ inside: a host, an address or a file name (bluepeak.example, a@b.c). */
const ADDRESS = /[^\s|]*[\p{L}\p{N}][.@][\p{L}\p{N}][^\s|]*/gu;
const SENTENCE_END = new Set(['.', '!', '?', ':', ';', '|', '…']);
/**
 * Verbs whose lemma is spelled like a noun of another sense: "invoice issued" is not an "issue".
 * They keep the form they were written in.
 */
const VERBS_NOT_NOUNS = new Set(['issue', 'address', 'book', 'file', 'charge', 'post', 'ship']);

interface Token {
  normal: string;
  lemma: string;
  word: boolean;
  pos: string;
  capitalized: boolean;
  acronym: boolean;
  dropped: boolean;
  line: number;
  opensSentence: boolean;
}

/** `startsText`: this run opens the message, so its first line may be a subject. */
export function englishWords(
  text: string, keep: ReadonlySet<string>, names: ReadonlySet<string>, startsText: boolean, emit: (word: string | null) => void,
): void {
  const nlp = getNlp();
  const its = nlp.its;
  const tokens: Token[] = [];
  let line = 0;
  let opens = true;
  readDoc(text.replace(ADDRESS, ' | ')).tokens().each((t: ItemToken) => {
    const type = t.out(its.type);
    const normal = String(t.out(its.normal));
    if (type === 'tabCRLF' || /[\n\r]/.test(String(t.out(its.precedingSpaces)))) {
      line += 1;
      opens = true;
    }
    if (type === 'tabCRLF') return;
    const shape = String(t.out(its.shape));
    const word = type === 'word';
    tokens.push({
      normal,
      lemma: word ? String(t.out(its.lemma as unknown as ItsFunction<string>)).toLowerCase() : normal,
      word,
      pos: String(t.out(its.pos)),
      capitalized: shape.startsWith('X'),
      acronym: ACRONYM.test(shape),
      dropped: !word || t.parentEntity() !== undefined || Boolean(t.out(its.stopWordFlag)),
      line,
      opensSentence: opens,
    });
    if (word) opens = false;
    else if (SENTENCE_END.has(normal)) opens = true;
  });
  const title = startsText && isTitleCase(tokens.filter((t) => t.line === 0));
  for (const t of tokens) {
    if (keep.has(t.normal)) {
      emit(t.normal);
      continue;
    }
    if (t.dropped || isName(t, names, title && t.line === 0)) {
      emit(null);
      continue;
    }
    const lemma = t.pos === 'VERB' && VERBS_NOT_NOUNS.has(t.lemma) ? t.normal : t.lemma;
    // Clitics ("Emily's", "don't") come out as tokens of their own: 's, n't, 're, 'll…
    if (lemma.length < 2 || !LETTER.test(lemma) || DIGIT.test(lemma) || CLITIC.test(lemma) || englishExtraStopWords.has(t.normal) || englishExtraStopWords.has(lemma)) {
      emit(null);
      continue;
    }
    emit(lemma);
  }
}

function isName(t: Token, names: ReadonlySet<string>, inTitle: boolean): boolean {
  if (names.has(t.normal) || names.has(t.lemma)) return t.capitalized || isUnknownWord(t.normal);
  if (t.pos !== 'PROPN' || t.acronym) return false;
  if (t.capitalized && !t.opensSentence && !inTitle) return true;
  return isUnknownWord(t.normal);
}

/** Most words capitalized, as in a subject written in Title Case. */
function isTitleCase(tokens: readonly Token[]): boolean {
  const words = tokens.filter((t) => t.word && !t.dropped);
  return words.length >= 3 && words.filter((t) => t.capitalized).length / words.length >= 0.75;
}
