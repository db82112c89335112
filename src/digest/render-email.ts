// The digest as an email: an HTML part (inline styles only: mail clients drop <style>) and the
// plain-text part from render-text.ts.
import { DateTime } from 'luxon';
import type { DigestData, DigestMessage } from './digest.js';
import { labels } from './labels.js';
import { renderDigestText } from './render-text.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const who = (m: DigestMessage) => esc(m.customer ? `${m.customer.name}${m.customer.company ? ` · ${m.customer.company}` : ''}` : 'unknown sender');

/** The window as the subscriber's wall clock: "2026-11-24 09:00 — 2026-11-25 09:00 (Asia/Shanghai)". */
const windowLine = (d: DigestData) => {
  const local = (iso: string) => DateTime.fromISO(iso, { zone: d.timeZone }).toFormat('yyyy-MM-dd HH:mm');
  return `${local(d.window.from)} — ${local(d.window.to)} (${d.timeZone})`;
};

const h2 = (t: string) => `<h2 style="font-size:15px;margin:20px 0 6px;color:#1f2937;border-bottom:1px solid #e5e7eb;padding-bottom:4px">${esc(t)}</h2>`;
const ul = (items: string[]) => `<ul style="margin:0;padding-left:18px;color:#374151;font-size:14px;line-height:1.5">${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;

export function renderDigestEmail(d: DigestData): { subject: string; html: string; text: string } {
  const parts: string[] = [];
  if (d.late) parts.push(`<p style="background:#fef3c7;color:#92400e;padding:8px 12px;border-radius:4px;font-size:13px">${esc(labels.late)}</p>`);
  if (d.newByChannel.length) {
    parts.push(
      h2(labels.newByChannel),
      `<table style="border-collapse:collapse;font-size:14px;color:#374151">${d.newByChannel
        .map((r) => `<tr><td style="padding:2px 12px 2px 0">${esc(r.channel)}</td><td style="padding:2px 12px 2px 0">${esc(r.kind)}</td><td style="text-align:right"><b>${r.count}</b></td></tr>`)
        .join('')}</table>`,
    );
  }
  if (d.newFeedback.length) {
    parts.push(h2(labels.newFeedback), ul(d.newFeedback.map((m) => `<b>${esc(m.kind)}</b> · ${who(m)}: ${m.subject ? `${esc(m.subject)} — ` : ''}${esc(m.snippet)}`)));
  }
  if (d.negativeHighValue.length) {
    parts.push(h2(labels.negativeHighValue), ul(d.negativeHighValue.map((m) => `${who(m)} <span style="color:#b91c1c">(${m.sentiment?.toFixed(2)})</span>: ${esc(m.snippet)}`)));
  }
  if (d.waiting.length) {
    parts.push(
      h2(`${labels.waiting} (> ${d.waitingHours} h)`),
      ul(d.waiting.map((w) => `${esc(w.customer.name)}${w.customer.company ? ` · ${esc(w.customer.company)}` : ''}: <b>${w.hoursWaiting} h</b>${w.subject ? ` — ${esc(w.subject)}` : ''}`)),
    );
  }
  if (d.topKeywords.length) parts.push(h2(labels.keywords), `<p style="font-size:14px;color:#374151">${d.topKeywords.map((k) => `${esc(k.term)} (${k.count})`).join(' · ')}</p>`);
  if (d.risingKeywords.length) parts.push(h2(labels.rising), `<p style="font-size:14px;color:#374151">${d.risingKeywords.map((k) => `${esc(k.term)} ${k.previous}→<b>${k.count}</b>`).join(' · ')}</p>`);
  if (d.changes.length) parts.push(h2(labels.changes), ul(d.changes.map((c) => `${esc(c.customer.name)}: ${esc(c.what)} ${esc(c.from ?? '—')} → <b>${esc(c.to)}</b>`)));
  if (parts.length === 0) parts.push(`<p style="color:#6b7280">${esc(labels.nothing)}</p>`);
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${esc(d.title)}</title></head>
<body style="margin:0;padding:24px;background:#f9fafb;font-family:-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif">
<div style="max-width:640px;margin:0 auto;background:#fff;padding:24px;border-radius:8px;border:1px solid #e5e7eb">
<h1 style="font-size:18px;margin:0 0 4px;color:#111827">${esc(d.title)}</h1>
<p style="margin:0;color:#6b7280;font-size:12px">${esc(windowLine(d))}</p>
${parts.join('\n')}
</div></body></html>`;
  return { subject: `${d.late ? '[late] ' : ''}${d.title}`, html, text: renderDigestText(d) };
}
