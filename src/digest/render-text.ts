// The digest as plain text: the email's text part and `rapport digest preview`.
import type { DigestData, DigestMessage } from './digest.js';
import { labels } from './labels.js';

const who = (m: DigestMessage) => (m.customer ? `${m.customer.name}${m.customer.company ? ` (${m.customer.company})` : ''}` : 'unknown sender');

export function renderDigestText(d: DigestData): string {
  const out: string[] = [d.title, '='.repeat(Math.min(d.title.length, 72))];
  if (d.late) out.push(`! ${labels.late}`);
  const section = (title: string, lines: string[]) => {
    if (lines.length) out.push('', title, ...lines);
  };
  section(labels.newByChannel, d.newByChannel.map((r) => `  ${r.channel} · ${r.kind}: ${r.count}`));
  section(labels.newFeedback, d.newFeedback.map((m) => `  - [${m.kind}] ${who(m)}: ${m.subject ? `${m.subject} — ` : ''}${m.snippet}`));
  section(
    labels.negativeHighValue,
    d.negativeHighValue.map((m) => `  - ${who(m)} (sentiment ${m.sentiment?.toFixed(2)}): ${m.snippet}`),
  );
  section(
    `${labels.waiting} (> ${d.waitingHours} h)`,
    d.waiting.map((w) => `  - ${w.customer.name}${w.customer.company ? ` (${w.customer.company})` : ''}: ${w.hoursWaiting} h${w.subject ? ` — ${w.subject}` : ''}`),
  );
  section(labels.keywords, d.topKeywords.length ? [`  ${d.topKeywords.map((k) => `${k.term} (${k.count})`).join(', ')}`] : []);
  section(labels.rising, d.risingKeywords.length ? [`  ${d.risingKeywords.map((k) => `${k.term} ${k.previous}→${k.count}`).join(', ')}`] : []);
  section(labels.changes, d.changes.map((c) => `  - ${c.customer.name}: ${c.what} ${c.from ?? '—'} → ${c.to}`));
  if (out.length <= 3) out.push('', labels.nothing);
  return `${out.join('\n')}\n`;
}
