// Correcting a message's kind or sentiment from Slack: the "Correct…" menu on the customer card's
// conversation lines and on alerts, chosen through really signed block_actions requests.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertMessage } from '../../src/channels/alerts.js';
import { captureOf } from '../helpers/capture.js';
import { communications, kindCorrections } from '../../src/store/schema/index.js';
import { addCustomer, startSlackTest, textOf, type SlackTest } from '../helpers/slack-app.js';
import { interaction, slashCommand } from '../helpers/slack-requests.js';

let t: SlackTest;
let messageId: string;

beforeAll(async () => {
  t = await startSlackTest();
  await addCustomer(t, { name: 'Emily Carter', emails: ['emily@northwind.example'], company: 'Northwind' });
  const r = await captureOf(t.ctx, { afterCommit: null })({
    channel: 'email', externalId: '<late@northwind.example>', threadHints: {}, from: { email: 'emily@northwind.example', name: 'Emily Carter' }, to: [{ email: 'support@ours.example' }],
    subject: 'Order 4471', text: 'The tracking page has shown "in transit" since the 3rd. Could someone check where it actually is?', attachments: [], occurredAt: new Date(Date.now() - 60_000), flags: [],
  });
  messageId = r.id;
}, 300_000);

afterAll(async () => t?.close());

interface Select {
  type: string;
  action_id: string;
  option_groups: { label: { text: string }; options: { text: { text: string }; value: string }[] }[];
}

const choose = async (select: Select, value: string, responseId: string, channel = 'C0GENERAL') => {
  const res = await t.app.inject(
    interaction({
      type: 'block_actions',
      team: { id: 'T0OURS' },
      user: { id: 'U0STAFF', team_id: 'T0OURS' },
      channel: { id: channel },
      response_url: t.standIn.responseUrl(responseId),
      trigger_id: 't.2',
      actions: [{ type: 'static_select', action_id: select.action_id, block_id: 'b1', selected_option: { text: { type: 'plain_text', text: 'x' }, value }, action_ts: '1' }],
    }),
  );
  expect(res.statusCode).toBe(200);
  const [reply] = await t.standIn.waitFor(() => (t.standIn.responsesTo(responseId).length ? t.standIn.responsesTo(responseId) : null));
  return reply!.body;
};

const stored = async () => (await t.database.db.select().from(communications).where(eq(communications.id, messageId)))[0]!;

describe('correcting from Slack', { timeout: 180_000 }, () => {
  it('puts a "Correct…" menu on each conversation of the card, and a choice corrects the kind', async () => {
    const res = await t.app.inject(slashCommand('lookup emily@northwind.example', { responseUrl: t.standIn.responseUrl('card') }));
    // A slow lookup (a busy machine) is acknowledged at once and the card comes through response_url.
    const direct = res.body ? (JSON.parse(res.body) as { blocks?: { accessory?: Select }[] }) : {};
    const card = direct.blocks?.some((b) => b.accessory)
      ? direct
      : ((await t.standIn.waitFor(() => t.standIn.responsesTo('card')[0], 60_000)).body as { blocks?: { accessory?: Select }[] });
    const blocks = card.blocks!;
    const menus = blocks.flatMap((b) => (b.accessory?.type === 'static_select' ? [b.accessory] : []));
    expect(menus).toHaveLength(1);
    expect(menus[0]!.action_id).toBe(`crm_correct_kind:${messageId}`);
    expect(menus[0]!.option_groups.map((g) => g.label.text)).toEqual(['Kind is', 'Sentiment is']);
    expect(menus[0]!.option_groups[0]!.options.map((o) => o.text.text)).toEqual(['feedback', 'question', 'issue', 'complaint', 'praise', 'other']);

    const before = await stored();
    const complaint = menus[0]!.option_groups[0]!.options.find((o) => o.text.text === 'complaint')!;
    const reply = await choose(menus[0]!, complaint.value, 'fix1');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.replace_original).toBe(false);
    expect(textOf(reply)).toContain(`Corrected: kind *${before.kind === 'message' ? 'other' : before.kind}* → *complaint*`);
    expect((await stored()).kind).toBe('complaint');
    const [c] = await t.database.db.select().from(kindCorrections).where(eq(kindCorrections.communicationId, messageId));
    expect(c).toMatchObject({ newKind: 'complaint', source: 'slack', correctedBy: 'slack:U0STAFF' });
  });

  it('puts the same menu on an alert, and a choice there corrects the sentiment', async () => {
    const row = await stored();
    const alert = alertMessage({ ...row, customerName: 'Emily Carter', companyName: 'Northwind' }, 'complaint from a high-value customer');
    const actions = (alert.blocks as { type: string; elements?: Select[] }[]).find((b) => b.type === 'actions')!;
    const menu = actions.elements![0]!;
    expect(menu.action_id).toBe(`crm_correct_kind:${messageId}`);
    const negative = menu.option_groups[1]!.options.find((o) => o.text.text === 'negative')!;
    const reply = await choose(menu, negative.value, 'fix2', 'C0ALERTS');
    expect(textOf(reply)).toContain('Corrected: sentiment');
    expect(await stored()).toMatchObject({ kind: 'complaint', sentiment: -1 });
    expect(await t.database.db.select().from(kindCorrections).where(eq(kindCorrections.communicationId, messageId))).toHaveLength(2);
  });

  it('answers a choice for an unknown message with a warning and records nothing', async () => {
    const count = (await t.database.db.select().from(kindCorrections)).length;
    const unknown = '00000000-0000-4000-8000-000000000000';
    const reply = await choose({ type: 'static_select', action_id: `crm_correct_kind:${unknown}`, option_groups: [] }, `kind:issue:${unknown}`, 'fix3');
    expect(textOf(reply)).toContain('That did not work (not_found)');
    expect((await t.database.db.select().from(kindCorrections)).length).toBe(count);
  });
});
