// Plain aligned columns for human CLI output (wide CJK characters count as two cells).

const wide = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

function cells(s: string): number {
  let n = 0;
  for (const ch of s) n += wide.test(ch) ? 2 : 1;
  return n;
}

export function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => cells(r[i] ?? ''))));
  return all
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - cells(c)))).join('  ').trimEnd())
    .join('\n');
}
