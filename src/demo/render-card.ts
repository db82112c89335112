// The customer card as the terminal shows it (the same data the Slack card shows).
import type { CustomerCard } from '../core/customer-card.js';
import { snippetOf } from '../digest/digest.js';

export function renderCardText(card: CustomerCard): string {
  const money = card.totals.revenue.map((r) => `${r.amount} ${r.currency}`).join(' + ') || '0';
  const lines = [
    `${card.name}${card.company ? ` · ${card.company}` : ''}`,
    `  owner     ${card.owner ?? '—'}        tags ${card.tags.join(', ') || '—'}`,
    `  contact   ${[...card.emails, ...card.phones].join(', ') || '—'}`,
    `  value     ${card.value ? `${card.value.tier} — ${card.value.reason}` : 'not analyzed yet'}`,
    `  segment   ${card.segment ? card.segment.label : 'not analyzed yet'}`,
    `  totals    ${card.totals.orders} orders · ${money} · ${card.totals.communications} conversations`,
    `  keywords  ${card.keywords.join(', ') || '—'}`,
    '  recent:',
    ...card.recent.map((c) => `    ${c.occurredAt.toISOString().slice(0, 16).replace('T', ' ')}  ${c.channel.padEnd(7)} ${c.direction.padEnd(8)} ${c.kind.padEnd(9)} ${snippetOf(c.snippet, 60)}`),
    '  open feedback / issues:',
    ...(card.openThreads.length ? card.openThreads.map((t) => `    ${t.kind.padEnd(9)} ${t.subject ?? ''} (${t.messages} messages)`) : ['    none']),
  ];
  return lines.join('\n');
}
