// Traditional → Simplified folding for analysis, the kind classifier and search (OpenCC's
// Taiwan-to-mainland tables with phrases, 軟體 → 软件, via opencc-js), so 發票 and 发票 are one word.
// Stored text keeps the script it was written in.
import * as OpenCC from 'opencc-js/t2cn';

let loaded: { convert: (text: string) => string; traditional: RegExp } | null = null;

const HAN_RUN = /\p{Script=Han}+/gu;
// The CJK blocks OpenCC's tables cover; a text with none of their traditional-only characters
// is returned as it is, which keeps simplified text (most of it) off the slower converter.
const BLOCKS: [number, number][] = [[0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xf900, 0xfaff]];

function load(): { convert: (text: string) => string; traditional: RegExp } {
  if (!loaded) {
    const c = OpenCC.Converter({ from: 'twp', to: 'cn' });
    // One conversion of every character, separated so no phrase rule spans two of them.
    const chars: string[] = [];
    for (const [from, to] of BLOCKS) for (let cp = from; cp <= to; cp++) chars.push(String.fromCodePoint(cp));
    const converted = c(chars.join('\n')).split('\n');
    const escape = (ch: string) => (/[\\\]^-]/.test(ch) ? `\\${ch}` : ch);
    const traditional = new RegExp(`[${chars.filter((ch, i) => converted[i] !== ch).map(escape).join('')}]`, 'u');
    loaded = { convert: c, traditional };
  }
  return loaded;
}

/** `text` with traditional Chinese characters and phrases folded to simplified; the rest unchanged. */
export function toSimplified(text: string): string {
  const { convert: c, traditional: t } = load();
  return t.test(text) ? text.replace(HAN_RUN, (run) => c(run)) : text;
}
