// What the kind/sentiment classifier sees of a message, the same way for English and Chinese:
// English words (wink-nlp's normal form and lemma, stop words kept — "how", "why", "not" carry the
// kind), negated lemmas, adjacent-word bigrams; Chinese (folded to simplified) as jieba words, word
// bigrams and character 1–3-grams; punctuation that asks or exclaims; optionally the hand-written
// cue rules and the lexicon sentiment as extra features. Names are hashed (FNV-1a) into a fixed
// space, so the model needs no vocabulary; a message becomes a unit-length binary sparse vector.
import type { ItemToken, ItsFunction } from 'wink-nlp';
import { toSimplified } from './chinese-script.js';
import { classifyKind } from './kind.js';
import { getNlp, readDoc } from './nlp.js';
import { getJieba } from './segment.js';
import { sentimentOf } from './sentiment.js';

export interface FeatureSettings {
  /** Feature ids are FNV-1a hashes masked to this many bits. */
  hashBits: number;
  /** Only the first characters of a long message are read (its kind is in how it starts). */
  maxChars: number;
  wordBigrams: boolean;
  charNgrams: boolean;
  /** The message's first words as features of their own ("start:how", "start:请问"): the main act is often said first. */
  openingWords: number;
  /** Weight of Chinese character n-grams against words (1: equal). */
  charNgramWeight: number;
  /** The rule classifier's cue scores (src/analytics/kind.ts, default cues) as features. */
  cues: boolean;
  /** The lexicon sentiment (src/analytics/sentiment.ts) as features. */
  lexicon: boolean;
}

export const defaultFeatureSettings: FeatureSettings = { hashBits: 20, maxChars: 2000, wordBigrams: true, charNgrams: true, openingWords: 3, charNgramWeight: 1, cues: true, lexicon: true };

/** Sorted feature ids with their values (L2-normalized). */
export interface SparseVector {
  ids: number[];
  values: number[];
}

const HAN_RUN = /(\p{Script=Han}+)|([^\p{Script=Han}]+)/gu;
const LETTER = /\p{L}/u;
const DIGITS = /^\d[\d.,:/-]*$/;
const ASKS = /[?？]/;
const EXCLAIMS = /[!！]/;
const scoredKinds = ['feedback', 'question', 'issue', 'complaint', 'praise'] as const;

/** The named features of a text (with repeats); hashing and weighting come after. */
export function featureNames(text: string, settings: FeatureSettings = defaultFeatureSettings): string[] {
  const t = toSimplified(text.slice(0, settings.maxChars)).trim();
  const out: string[] = [];
  for (const m of t.matchAll(HAN_RUN)) {
    if (m[1]) chineseFeatures(m[1], settings, out);
    else if (m[2]) latinFeatures(m[2], settings, out);
  }
  if (settings.openingWords > 0) {
    const words = out.filter((n) => n.startsWith('w:')).slice(0, settings.openingWords);
    words.forEach((w, i) => out.push(`start${i}:${w.slice(2)}`));
  }
  if (/[?？]\s*$/.test(t)) out.push('end:?');
  if (ASKS.test(t)) out.push('has:?');
  if (EXCLAIMS.test(t)) out.push('has:!');
  if (!t) out.push('empty');
  if (settings.cues) {
    const { scores } = classifyKind(t, { score: 0, label: 'neutral' });
    for (const k of scoredKinds) {
      if (scores[k] > 0) out.push(`cue:${k}`);
      if (scores[k] >= 2) out.push(`cue2:${k}`);
    }
  }
  if (settings.lexicon) {
    const s = sentimentOf(t).score;
    if (s >= 0.1) out.push('lex:pos');
    if (s >= 0.5) out.push('lex:pos2');
    if (s <= -0.1) out.push('lex:neg');
    if (s <= -0.5) out.push('lex:neg2');
  }
  return out;
}

function chineseFeatures(run: string, settings: FeatureSettings, out: string[]): void {
  const words = getJieba().cut(run, false);
  let prev: string | null = null;
  for (const w of words) {
    out.push(`w:${w}`);
    if (settings.wordBigrams && prev !== null) out.push(`b:${prev}|${w}`);
    prev = w;
  }
  if (settings.charNgrams) {
    const chars = [...run];
    for (let i = 0; i < chars.length; i++) {
      out.push(`c:${chars[i]}`);
      if (i + 1 < chars.length) out.push(`c:${chars[i]}${chars[i + 1]}`);
      if (i + 2 < chars.length) out.push(`c:${chars[i]}${chars[i + 1]}${chars[i + 2]}`);
    }
  }
}

function latinFeatures(text: string, settings: FeatureSettings, out: string[]): void {
  if (ASKS.test(text) || EXCLAIMS.test(text)) out.push(...[...text].filter((c) => ASKS.test(c) || EXCLAIMS.test(c)).map((c) => `p:${c === '？' ? '?' : c === '！' ? '!' : c}`));
  if (!LETTER.test(text)) return;
  const nlp = getNlp();
  const its = nlp.its;
  let prev: string | null = null;
  readDoc(text).tokens().each((t: ItemToken) => {
    const type = t.out(its.type);
    if (type !== 'word' && type !== 'emoji' && type !== 'emoticon' && type !== 'number') {
      prev = null;
      return;
    }
    let normal = String(t.out(its.normal)).toLowerCase();
    if (type === 'number' || DIGITS.test(normal)) normal = '#num';
    out.push(`w:${normal}`);
    const lemma = String(t.out(its.lemma as unknown as ItsFunction<string>)).toLowerCase();
    if (lemma !== normal && type === 'word') out.push(`w:${lemma}`);
    if (t.out(its.negationFlag)) out.push(`not:${lemma}`);
    if (settings.wordBigrams && prev !== null) out.push(`b:${prev}|${normal}`);
    prev = normal;
  });
}

/** 32-bit FNV-1a of a string's UTF-16 code units. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Feature names → a sparse vector: hashed ids, binary presence, unit length. */
export function vectorOf(names: readonly string[], hashBits: number, charNgramWeight = 1): SparseVector {
  const mask = hashBits >= 32 ? 0xffffffff : (1 << hashBits) - 1;
  const weights = new Map<number, number>();
  for (const n of names) weights.set(fnv1a(n) & mask, n.startsWith('c:') ? charNgramWeight : 1);
  const ids = [...weights.keys()].sort((a, b) => a - b);
  let norm = 0;
  for (const w of weights.values()) norm += w * w;
  const scale = norm ? 1 / Math.sqrt(norm) : 0;
  return { ids, values: ids.map((id) => (weights.get(id) as number) * scale) };
}

/** The classifier's input for a text. */
export function messageFeatures(text: string, settings: FeatureSettings = defaultFeatureSettings): SparseVector {
  return vectorOf(featureNames(text, settings), settings.hashBits, settings.charNgramWeight);
}
