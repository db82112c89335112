// Marking what a search matched, in the application rather than with ts_headline (which returns
// the document's own markup unescaped). Terms are the words typed (not the excluded ones), Chinese
// segmented as the index was, English also by stem so "refunds" marks "refund".
import { segmentWords } from '../analytics/segment.js';

export function searchTerms(q: string): string[] {
  const terms = new Set<string>();
  for (const m of q.matchAll(/(-?)"([^"]*)"?|(\S+)/g)) {
    if (m[1] === '-' || m[3]?.startsWith('-')) continue;
    const raw = m[2] ?? m[3] ?? '';
    if (/^or$/i.test(raw)) continue;
    for (const w of [raw, ...segmentWords(raw)]) {
      const word = w.trim().toLowerCase();
      if (!word) continue;
      terms.add(word);
      if (/^[a-z]{5,}$/.test(word)) terms.add(word.replace(/(?:ing|ed|es|s)$/, ''));
    }
  }
  return [...terms].filter((t) => t.length > 0).sort((a, b) => b.length - a.length);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export type Piece = { text: string; hit: boolean };

/** The text cut to about `width` characters around the first match, split into plain and matched pieces. */
export function highlight(text: string, terms: string[], width = 280): Piece[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (terms.length === 0) return [{ text: flat.slice(0, width), hit: false }];
  const re = new RegExp(terms.map(escapeRegExp).join('|'), 'gi');
  const first = flat.search(re);
  const start = first > width / 3 ? first - Math.floor(width / 3) : 0;
  const window = (start > 0 ? '…' : '') + flat.slice(start, start + width) + (start + width < flat.length ? '…' : '');
  const pieces: Piece[] = [];
  let last = 0;
  for (const m of window.matchAll(re)) {
    if (m.index! > last) pieces.push({ text: window.slice(last, m.index), hit: false });
    pieces.push({ text: m[0], hit: true });
    last = m.index! + m[0].length;
  }
  if (last < window.length) pieces.push({ text: window.slice(last), hit: false });
  return pieces;
}
