// Aligned columns for human CLI output, with a header row. Widths are display widths (string-width:
// a Chinese character or a full-width form takes two terminal cells, a combining mark none), so
// Chinese and English rows line up. Cells are single-line; long ones can be cut with `maxWidth`.
import stringWidth from 'string-width';

export interface TableOptions {
  /** Cut cells to this many display cells (with …), per column index. */
  maxWidth?: Record<number, number>;
}

/** Cuts `s` to at most `max` display cells, ending with … when cut. */
export function truncateCells(s: string, max: number): string {
  if (stringWidth(s) <= max) return s;
  let out = '';
  let width = 0;
  for (const ch of s) {
    const w = stringWidth(ch);
    if (width + w > max - 1) break;
    out += ch;
    width += w;
  }
  return `${out}…`;
}

export function formatTable(header: string[], rows: string[][], opts: TableOptions = {}): string {
  const clean = (c: string | undefined, i: number) => {
    const flat = (c ?? '').replace(/\s+/g, ' ').trim();
    const max = opts.maxWidth?.[i];
    return max ? truncateCells(flat, max) : flat;
  };
  const all = [header, ...rows].map((r) => header.map((_, i) => clean(r[i], i)));
  const widths = header.map((_, i) => Math.max(...all.map((r) => stringWidth(r[i]!))));
  return all
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - stringWidth(c)))).join('  ').trimEnd())
    .join('\n');
}
