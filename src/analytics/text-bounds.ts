// Limits that keep every text analysis linear in the size of its input. wink-nlp's tokenizer tries
// its e-mail pattern at every position of a whitespace-free token, which is quadratic in the token's
// length (a 16k-character base64 line took ~3 s, "A" × 1M froze the process); no word is that long,
// so such runs are cut out before wink or jieba see them. Analysis also reads only the beginning of
// a very long message: keywords, sentiment and kind are settled long before 20,000 characters.

/** Characters of a message (subject and text together) that analytics reads. */
export const MAX_ANALYZED_CHARS = 20_000;
/** Characters of a message that search segmentation (communications.search_text) reads. */
export const MAX_SEARCH_CHARS = 100_000;
/** A run of non-space, non-Han characters longer than this is not a word (base64, hashes, URLs). */
export const MAX_TOKEN_CHARS = 64;

const LONG_RUN = new RegExp(`[^\\s\\p{Script=Han}]{${MAX_TOKEN_CHARS + 1},}`, 'gu');

/** The first `max` characters, never ending inside a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * `text` made safe to tokenize: clipped to `max` characters, with every over-long run replaced by
 * `separator` (a symbol by default, so a phrase never joins the words on either side of it).
 */
export function boundText(text: string, max = MAX_ANALYZED_CHARS, separator = ' | '): string {
  return clip(text, max).replace(LONG_RUN, separator);
}
