// Text as PostgreSQL and JSON can hold it: NUL bytes removed, lone UTF-16 surrogates (half of a
// broken emoji, or noise) replaced by U+FFFD. Both come from hostile or broken senders and would
// otherwise fail a write deep inside a transaction.
const DIRTY = /[\u0000\uD800-\uDFFF]/;

export function cleanText(s: string): { text: string; changed: boolean } {
  if (!DIRTY.test(s)) return { text: s, changed: false };
  // toWellFormed (Node 20) replaces lone surrogates and keeps valid pairs.
  const text = s.replaceAll('\u0000', '').toWellFormed();
  return { text, changed: text !== s };
}
