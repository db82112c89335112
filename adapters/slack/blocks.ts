// Block Kit for every reply the bot gives, built with slack-block-builder and kept inside Slack's
// limits (header 150 chars, section text 3000, 10 fields of 2000, button text 75, 50 blocks).
import { Bits, Blocks, Elements, Message, Modal } from 'slack-block-builder';
import type { CustomerCard, CustomerSummary, LookupOutcome } from './ports.js';
import type { SlackMessage } from './slack-api.js';
import { escapeMrkdwn, oneLine } from './slack-text.js';
import { deepFreeze } from '../../src/core/deep-freeze.js';

export const actionIds = {
  pickCustomer: 'crm_pick_customer',
  threadCustomer: 'crm_thread_customer',
  /** Followed by `:<communication id>`: the "Correct…" menu of a message line or an alert. */
  correctKind: 'crm_correct_kind',
} as const;
export const sendThreadCallbackId = 'send_thread_to_crm';
export const sendThreadViewId = 'crm_send_thread';

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);
const esc = (s: string | null | undefined, max = 300) => escapeMrkdwn(clip(s ?? '', max));

/** Slack renders this in the reader's own time zone; the fallback is UTC. */
export function slackDate(d: Date): string {
  const epoch = Math.floor(d.getTime() / 1000);
  return `<!date^${epoch}^{date_short_pretty} {time}|${d.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
}

function link(url: string | null, label: string): string {
  return url && /^https?:\/\//.test(url) ? `<${url.replace(/[|>]/g, encodeURIComponent)}|${label}>` : label;
}

function finish(msg: ReturnType<typeof Message>, share: boolean): SlackMessage {
  const built = (share ? msg.inChannel() : msg.ephemeral()).buildToObject() as SlackMessage;
  return built;
}

/**
 * Replies rendered from cards that cannot change (a kept card is frozen, see
 * src/shared-state/card-cache.ts), kept with the card: the same customer looked up again and again
 * is rendered once. The replies are frozen too.
 */
const rendered = new WeakMap<CustomerCard, { shared?: SlackMessage; ephemeral?: SlackMessage }>();

export function customerCardMessage(card: CustomerCard, share: boolean): SlackMessage {
  if (!Object.isFrozen(card)) return renderCard(card, share);
  const kept = rendered.get(card) ?? {};
  rendered.set(card, kept);
  const which = share ? 'shared' : 'ephemeral';
  return (kept[which] ??= deepFreeze(renderCard(card, share)));
}

function renderCard(card: CustomerCard, share: boolean): SlackMessage {
  const money = card.totals.revenue.map((r) => `${r.amount} ${r.currency}`).join(' + ') || '0';
  const fields = [
    `*Company*\n${esc(card.company) || '—'}`,
    `*Owner*\n${esc(card.owner) || '—'}`,
    `*Tags*\n${card.tags.length ? esc(card.tags.join(', '), 500) : '—'}`,
    `*Value*\n${card.value ? `${esc(card.value.tier, 50)} — ${esc(card.value.reason, 800)}` : '_not analyzed yet_'}`,
    `*Segment*\n${card.segment ? esc(card.segment.label, 100) + (card.segment.description ? ` — ${esc(card.segment.description, 500)}` : '') : '_not analyzed yet_'}`,
    `*Totals*\n${card.totals.orders} orders · ${esc(money, 200)} · ${card.totals.communications} conversations`,
  ];
  const contact = [...card.emails, ...card.phones].slice(0, 3).join(', ');
  if (contact) fields.push(`*Contact*\n${esc(contact, 300)}`);

  // One section per conversation, so each carries its own "Correct…" menu.
  const recent = card.recent.map((c) => {
    const who = c.who ? ` · ${esc(c.who, 60)}` : '';
    const snippet = oneLine(c.snippet, 140);
    const line = `• ${link(c.link, slackDate(c.occurredAt))} · ${c.channel}${c.kind !== 'message' ? ` ${c.kind}` : ''}${who} — ${escapeMrkdwn(snippet) || '_(no text)_'}`;
    return Blocks.Section({ text: clip(line, 3000) }).accessory(correctionMenu(c.id));
  });
  const open = card.openThreads.length
    ? card.openThreads
        .map((t) => `• ${link(t.link, esc(t.subject ? oneLine(t.subject, 80) : t.kind, 100))} · ${t.kind} · ${t.messages} msg · last ${slackDate(t.lastAt)}`)
        .join('\n')
    : '_None open._';

  const msg = Message({ text: `${card.name}${card.company ? ` (${card.company})` : ''}` }).blocks(
    Blocks.Header({ text: clip(card.name, 150) }),
    Blocks.Section().fields(fields.map((f) => clip(f, 2000))),
    Blocks.Section({ text: card.recent.length ? `*Last ${Math.min(5, card.recent.length)} conversations*` : '*Last conversations*\n_No conversations yet._' }),
    ...recent.slice(0, 5),
    Blocks.Section({ text: clip(`*Top keywords*\n${card.keywords.length ? esc(card.keywords.slice(0, 15).join(' · '), 600) : '_none yet_'}`, 3000) }),
    Blocks.Section({ text: clip(`*Open feedback & issues*\n${open}`, 3000) }),
    Blocks.Context().elements(clip(`Rapport · ${link(card.link, `customer ${card.id.slice(0, 8)}`)}`, 2000)),
  );
  return finish(msg, share);
}

const correctionKinds = ['feedback', 'question', 'issue', 'complaint', 'praise', 'other'] as const;
const correctionSentiments = [['neg', 'negative'], ['neu', 'neutral'], ['pos', 'positive']] as const;

/** A menu to correct a message's kind or sentiment; each choice's value says what and for which message. */
export function correctionMenu(communicationId: string) {
  return Elements.StaticSelect({ actionId: `${actionIds.correctKind}:${communicationId}`, placeholder: 'Correct…' }).optionGroups(
    Bits.OptionGroup({ label: 'Kind is' }).options(correctionKinds.map((k) => Bits.Option({ text: k, value: `kind:${k}:${communicationId}` }))),
    Bits.OptionGroup({ label: 'Sentiment is' }).options(correctionSentiments.map(([v, label]) => Bits.Option({ text: label, value: `sentiment:${v}:${communicationId}` }))),
  );
}

export interface CorrectionChoice {
  communicationId: string;
  kind?: string;
  sentiment?: string;
}

/** The choice behind a menu option's value, or null when it is not one of ours. */
export function parseCorrectionChoice(value: string): CorrectionChoice | null {
  const m = /^(kind|sentiment):([a-z]+):([0-9a-f-]{36})$/.exec(value);
  if (!m) return null;
  return m[1] === 'kind' ? { communicationId: m[3]!, kind: m[2]! } : { communicationId: m[3]!, sentiment: m[2]! };
}

export function pickListMessage(query: string, outcome: LookupOutcome, share: boolean): SlackMessage {
  const matches = outcome.matches.slice(0, 10);
  const msg = Message({ text: `${matches.length}${outcome.more ? '+' : ''} customers match “${clip(query, 80)}”` }).blocks(
    Blocks.Section({ text: `*${matches.length}${outcome.more ? '+' : ''} customers match* “${esc(query, 200)}” — pick one:` }),
    ...matches.map((c) =>
      Blocks.Section({ text: clip(describe(c), 3000) }).accessory(
        Elements.Button({ text: 'Show', actionId: `${actionIds.pickCustomer}:${c.id}`, value: JSON.stringify({ id: c.id, share }) }),
      ),
    ),
    ...(outcome.more ? [Blocks.Context().elements('More match: add a company, email or domain to narrow it down.')] : []),
  );
  return finish(msg, share);
}

function describe(c: CustomerSummary): string {
  return `*${esc(c.name, 150)}*${c.company ? ` · ${esc(c.company, 150)}` : ''}${c.hint ? ` · ${esc(c.hint, 150)}` : ''}`;
}

export function noMatchMessage(query: string, outcome: LookupOutcome): SlackMessage {
  const tips: Record<string, string> = {
    email: 'No customer has that email. ',
    domain: 'No company uses that domain. ',
    phone: 'No customer has that phone number. ',
    slack_user: 'That Slack user is not linked to a customer. ',
    name: '',
  };
  const closest = outcome.suggestions.length
    ? `Closest names: ${outcome.suggestions.map((s) => `*${esc(s, 100)}*`).join(', ')}.`
    : 'Try an email, a company domain (acme.com), a phone number or part of a name.';
  return textMessage(`No customer matches “${esc(query, 200)}”. ${tips[outcome.kind] ?? ''}${closest}`, false);
}

export function textMessage(text: string, share: boolean): SlackMessage {
  return finish(Message({ text: clip(text, 3000) }).blocks(Blocks.Section({ text: clip(text, 3000) })), share);
}

export function helpMessage(problem: string | null, command = '/crm'): SlackMessage {
  const lines = [
    problem ? `:warning: ${problem}\n` : '',
    `*${command}* — customers from Rapport. Replies are visible only to you; add \`--share\` to post them to the channel.`,
    `• \`${command} lookup <email | domain | phone | name | company>\` — the customer card`,
    `• \`${command} note <customer> <text>\` — add a note to a customer (quote names with spaces: \`"Zhang San"\`)`,
    `• \`${command} link #channel <company | customer>\` — capture that channel's messages for them`,
    `• \`${command} unlink #channel\` — stop capturing a channel`,
    `• \`${command} digest\` — preview today's digest`,
    `• \`${command} help\` — this help`,
    'Message shortcut *Send thread to CRM* saves a whole thread as feedback.',
  ];
  return textMessage(lines.filter(Boolean).join('\n'), false);
}

export function threadCustomerModal(meta: string, suggestions: CustomerSummary[]): unknown {
  const select = Elements.ExternalSelect({ actionId: actionIds.threadCustomer, placeholder: 'Search by name, email or company', minQueryLength: 2 });
  const first = suggestions[0];
  if (first) select.initialOption(Bits.Option({ text: clip(`${first.name}${first.company ? ` (${first.company})` : ''}`, 75), value: first.id }));
  return Modal({ title: 'Send thread to CRM', callbackId: sendThreadViewId, submit: 'Save', close: 'Cancel', privateMetaData: meta })
    .blocks(
      Blocks.Section({ text: 'Which customer is this thread about? It will be stored as feedback on them.' }),
      Blocks.Input({ label: 'Customer', blockId: 'customer' }).element(select),
    )
    .buildToObject();
}

export function customerOptions(customers: CustomerSummary[]): { options: { text: { type: 'plain_text'; text: string }; value: string }[] } {
  return {
    options: customers.slice(0, 100).map((c) => ({
      text: { type: 'plain_text', text: clip(`${c.name}${c.company ? ` (${c.company})` : ''}${c.hint ? ` · ${c.hint}` : ''}`, 75) },
      value: c.id,
    })),
  };
}
