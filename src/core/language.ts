// Language of a message by script, the default analysis: 'zh' (Han), 'en' (Latin), 'mixed' (both
// substantial) or 'other'; null when there is no text. Good enough to route to jieba or wink-nlp;
// Latin is taken as English, which is what this service's users write besides Chinese.

export type Language = 'zh' | 'en' | 'mixed' | 'other';

const HAN = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;
const LETTER = /\p{L}/u;
// A Chinese character carries about as much as a short English word: weigh them so
// "请帮我看一下 invoice" counts as mixed rather than letter-counted English.
const HAN_WEIGHT = 3;
const MIXED_SHARE = 0.2;

export function detectLanguage(text: string | null | undefined): Language | null {
  if (!text) return null;
  let han = 0;
  let latin = 0;
  let other = 0;
  for (const ch of text) {
    if (HAN.test(ch)) han += 1;
    else if (LATIN.test(ch)) latin += 1;
    else if (LETTER.test(ch)) other += 1;
  }
  const zh = han * HAN_WEIGHT;
  const total = zh + latin + other;
  if (total === 0) return null;
  if (other / total > 0.5) return 'other';
  if (zh / total >= MIXED_SHARE && latin / total >= MIXED_SHARE) return 'mixed';
  if (zh >= latin) return zh > 0 ? 'zh' : 'other';
  return 'en';
}
