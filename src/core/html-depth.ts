// HTML converters walk the element tree recursively, so a body that nests 20,000 <div>s overflows
// the stack. HTML nested deeper than a bound is not converted but stripped of its tags: no mail a
// person wrote nests anywhere near it, and the words are what is captured. Both functions scan by
// hand in one pass: a regex like /<[^>]*>/ is quadratic on a megabyte of "<" without a ">".
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const NAME = /^<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/;

/** Element nesting up to which HTML is converted as a tree; deeper HTML is stripped of its tags. */
export const maxHtmlDepth = 500;

/** Calls `onTag` for each complete `<…>` in order and `onText` for the text around them. */
function scanTags(html: string, onText: (s: string) => void, onTag: (tag: string) => void): void {
  let pos = 0;
  for (;;) {
    const lt = html.indexOf('<', pos);
    if (lt === -1) break;
    const gt = html.indexOf('>', lt + 1);
    if (gt === -1) break;
    onText(html.slice(pos, lt));
    onTag(html.slice(lt, gt + 1));
    pos = gt + 1;
  }
  onText(html.slice(pos));
}

/** True when elements nest deeper than `max` (void and self-closing elements do not nest). Linear. */
export function nestsDeeperThan(html: string, max = maxHtmlDepth): boolean {
  // Cheap exit: fewer tags than the bound cannot nest deeper than it.
  let tags = 0;
  for (let i = html.indexOf('<'); i !== -1 && tags <= max; i = html.indexOf('<', i + 1)) tags += 1;
  if (tags <= max) return false;
  let depth = 0;
  let deepest = 0;
  scanTags(
    html,
    () => {},
    (tag) => {
      const m = NAME.exec(tag);
      if (!m || VOID.has(m[2]!.toLowerCase()) || tag.endsWith('/>')) return;
      depth = m[1] ? Math.max(0, depth - 1) : depth + 1;
      deepest = Math.max(deepest, depth);
    },
  );
  return deepest > max;
}

const ENTITIES: Record<string, string> = { '&nbsp;': ' ', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' };

/** Every tag removed, the text of scripts and styles with them: the last resort when a converter
 *  still fails on some HTML. Linear. */
export function stripTags(html: string): string {
  const out: string[] = [];
  let skipping = false;
  scanTags(
    html,
    (text) => {
      if (!skipping) out.push(text);
    },
    (tag) => {
      const m = NAME.exec(tag);
      const name = m?.[2]?.toLowerCase();
      if (name === 'script' || name === 'style') skipping = !m![1];
      out.push(' ');
    },
  );
  return out
    .join('')
    .replace(/&(?:nbsp|lt|gt|quot|#39|amp);/g, (e) => ENTITIES[e]!)
    .replace(/[ \t]+/g, ' ')
    .trim();
}
