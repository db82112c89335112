// Language of a message from the scripts it is written in. Rapport's users write Chinese, English
// or both in one message; other scripts are reported as such so analytics can skip them honestly.

export type Language = 'zh' | 'en' | 'mixed' | 'ja' | 'ko' | 'other' | 'unknown';

const HAN = /\p{Script=Han}/gu;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const HANGUL = /\p{Script=Hangul}/gu;
const LATIN_WORD = /\p{Script=Latin}{2,}/gu;
const OTHER_LETTER = /[^\p{Script=Han}\p{Script=Latin}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Common}\p{Script=Inherited}]/gu;

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

/**
 * A Chinese word is ~1.5 characters and an English word one match, so Han characters are weighed
 * 1/1.5 against Latin words; a language with at least `dominance` of the weight names the message,
 * anything in between is 'mixed'.
 */
export function detectLanguage(text: string, dominance = 0.8): Language {
  const kana = count(text, KANA);
  const hangul = count(text, HANGUL);
  const han = count(text, HAN) / 1.5;
  const latin = count(text, LATIN_WORD);
  const other = count(text, OTHER_LETTER) / 4;
  const total = kana + hangul + han + latin + other;
  if (total === 0) return 'unknown';
  if (kana > 0 && kana + han >= total * dominance) return 'ja';
  if (hangul >= total * dominance) return 'ko';
  if (han >= total * dominance) return 'zh';
  if (latin >= total * dominance) return 'en';
  if (han + latin >= total * dominance) return 'mixed';
  return 'other';
}
