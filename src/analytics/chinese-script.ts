// Traditional Chinese folded to simplified, so 退貨 and 退货 are one feature to the classifier and
// one keyword. OpenCC's dictionaries (opencc-js): Taiwan variants and phrases (軟體 → 软件) → mainland usage.
import * as OpenCC from 'opencc-js';

const HAN = /\p{Script=Han}/u;
let convert: ((text: string) => string) | null = null;

/** The text with traditional characters and Taiwan phrasing in simplified Chinese; other scripts unchanged. */
export function toSimplified(text: string): string {
  if (!HAN.test(text)) return text;
  const c = (convert ??= OpenCC.Converter({ from: 'twp', to: 'cn' }));
  return c(text);
}
