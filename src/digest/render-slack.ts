// The digest as Slack Block Kit messages. Slack allows 50 blocks per message and 3,000 characters
// per section, so long sections are cut into several sections and the blocks into several messages.
import { Blocks } from 'slack-block-builder';
import type { DigestData, DigestMessage } from './digest.js';
import { labels } from './labels.js';

export const SLACK_MAX_BLOCKS = 50;
const SECTION_MAX = 2900;

export interface SlackDigestMessage {
  text: string;
  blocks: unknown[];
}

const mrkdwn = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const who = (m: DigestMessage) => mrkdwn(m.customer ? `${m.customer.name}${m.customer.company ? ` · ${m.customer.company}` : ''}` : 'unknown sender');

/** Lines packed into as few sections as fit the per-section limit. */
function sections(lines: string[]): ReturnType<typeof Blocks.Section>[] {
  const out: ReturnType<typeof Blocks.Section>[] = [];
  let buf = '';
  for (const line of lines) {
    const l = line.length > SECTION_MAX ? `${line.slice(0, SECTION_MAX - 1)}…` : line;
    if (buf && buf.length + 1 + l.length > SECTION_MAX) {
      out.push(Blocks.Section({ text: buf }));
      buf = '';
    }
    buf = buf ? `${buf}\n${l}` : l;
  }
  if (buf) out.push(Blocks.Section({ text: buf }));
  return out;
}

export function renderDigestSlack(d: DigestData): SlackDigestMessage[] {
  const blocks: unknown[] = [Blocks.Header({ text: d.title.slice(0, 150) })];
  if (d.late) blocks.push(Blocks.Context().elements(`:warning: ${labels.late}`));
  const add = (title: string, lines: string[]) => {
    if (!lines.length) return;
    blocks.push(Blocks.Divider(), Blocks.Section({ text: `*${title}*` }), ...sections(lines));
  };
  add(labels.newByChannel, d.newByChannel.map((r) => `• ${r.channel} · ${r.kind}: *${r.count}*`));
  add(labels.newFeedback, d.newFeedback.map((m) => `• *${m.kind}* · ${who(m)}: ${m.subject ? `${mrkdwn(m.subject)} — ` : ''}${mrkdwn(m.snippet)}`));
  add(labels.negativeHighValue, d.negativeHighValue.map((m) => `• ${who(m)} (${m.sentiment?.toFixed(2)}): ${mrkdwn(m.snippet)}`));
  add(`${labels.waiting} (> ${d.waitingHours} h)`, d.waiting.map((w) => `• ${mrkdwn(w.customer.name)}: *${w.hoursWaiting} h*${w.subject ? ` — ${mrkdwn(w.subject)}` : ''}`));
  add(labels.keywords, d.topKeywords.length ? [d.topKeywords.map((k) => `${mrkdwn(k.term)} (${k.count})`).join(' · ')] : []);
  add(labels.rising, d.risingKeywords.length ? [d.risingKeywords.map((k) => `${mrkdwn(k.term)} ${k.previous}→*${k.count}*`).join(' · ')] : []);
  add(labels.changes, d.changes.map((c) => `• ${mrkdwn(c.customer.name)}: ${c.what} ${mrkdwn(c.from ?? '—')} → *${mrkdwn(c.to)}*`));
  if (blocks.length === (d.late ? 2 : 1)) blocks.push(Blocks.Section({ text: labels.nothing }));

  const built = blocks.map((b) => (b as { build(): unknown }).build());
  const messages: SlackDigestMessage[] = [];
  for (let i = 0; i < built.length; i += SLACK_MAX_BLOCKS) {
    const part = built.slice(i, i + SLACK_MAX_BLOCKS);
    const n = Math.floor(i / SLACK_MAX_BLOCKS) + 1;
    messages.push({ text: n === 1 ? d.title : `${d.title} (${n})`, blocks: part });
  }
  return messages;
}

