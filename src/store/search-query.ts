// Turns what a user typed into the text for websearch_to_tsquery('simple', …) over the segmented
// search_text. Segmenting the whole query at once would drop the web-search operators (quotes,
// `-word`, `or`), so each token is segmented on its own and the operators are put back.
import { segmentWords } from '../analytics/segment.js';

const TOKENS = /(-?)"([^"]*)"?|(\S+)/g;

export function segmentedWebQuery(q: string): string {
  const out: string[] = [];
  for (const m of q.matchAll(TOKENS)) {
    if (m[2] !== undefined) {
      const words = segmentWords(m[2]);
      if (words.length > 0) out.push(`${m[1]}"${words.join(' ')}"`);
      continue;
    }
    const token = m[3]!;
    if (/^or$/i.test(token)) {
      out.push('or');
      continue;
    }
    const negated = token.startsWith('-');
    const words = segmentWords(negated ? token.slice(1) : token);
    if (words.length === 0) continue;
    // "订单问题" → 订单 问题: both must occur. A negated compound excludes the phrase.
    if (negated) out.push(words.length === 1 ? `-${words[0]}` : `-"${words.join(' ')}"`);
    else out.push(...words);
  }
  return out.join(' ');
}
