import { eq } from 'drizzle-orm';
import Fastify from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountSlack } from '../../src/http/routes/slack.js';
import type { App } from '../../src/http/types.js';
import { channelsOf } from '../../src/channels/index.js';
import { createSlack } from '../../src/channels/slack.js';
import { communications, customerSegments, customerValueTiers, segmentRuns, slackChannelLinks, valueModels } from '../../src/store/schema/index.js';
import { addCustomer, addOrder, startSlackTest, textOf, type SlackTest } from '../helpers/slack-app.js';
import { interaction, slashCommand } from '../helpers/slack-requests.js';

let t: SlackTest;
let zhang: string;

beforeAll(async () => {
  t = await startSlackTest();
  zhang = await addCustomer(t, { name: '张伟', emails: ['zhang.wei@acme.cn'], phones: ['13800138000'], company: 'Acme 科技', domains: ['acme.cn'], owner: 'lily', tags: ['vip', 'renewal'] });
  await addCustomer(t, { name: 'Li Na', emails: ['li.na@acme.cn'], company: 'Acme 科技' });
  await addCustomer(t, { name: 'Bob Stone', emails: ['bob@stoneworks.com'], company: 'Stoneworks', domains: ['stoneworks.com'] });
  await addOrder(t, zhang, '1200.50');
  await addOrder(t, zhang, '99.50');
  await addOrder(t, zhang, '500.00', 'CNY', 'refunded');
  const capture = (await import('../helpers/capture.js')).captureOf(t.ctx);
  await capture({
    channel: 'email', externalId: '<m1@acme.cn>', threadHints: {}, from: { email: 'zhang.wei@acme.cn', name: '张伟' }, to: [{ email: 'support@ours.com' }],
    subject: '发货延迟', text: '我们的订单发货延迟了三天，请尽快处理', attachments: [], occurredAt: new Date(Date.now() - 3600_000), flags: [], kindHint: 'feedback',
  });
});

afterAll(async () => t?.close());

const send = async (text: string, opts: { channel?: string } = {}) => {
  const id = `r${Math.random().toString(36).slice(2)}`;
  const res = await t.app.inject(slashCommand(text, { responseUrl: t.standIn.responseUrl(id), ...opts }));
  return { res, body: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : null, id };
};

describe('/crm lookup', () => {
  it('answers an email with the customer card, ephemeral, within the request', async () => {
    const { res, body } = await send('lookup <mailto:Zhang.Wei@acme.cn|Zhang.Wei@acme.cn>');
    expect(res.statusCode).toBe(200);
    expect(body!.response_type).toBe('ephemeral');
    const text = textOf(body);
    expect(text).toContain('张伟');
    expect(text).toContain('Acme 科技');
    expect(text).toContain('lily');
    expect(text).toContain('vip, renewal');
    expect(text).toContain('2 orders');
    expect(text).toContain('1300.00 CNY');
    expect(text).toContain('我们的订单发货延迟了三天');
    expect(text).toMatch(/Open feedback & issues\*\n• 发货延迟 · feedback · 1 msg/);
    expect(text).toContain('_not analyzed yet_');
  });

  it('finds by phone, by Slack-escaped domain and by name', async () => {
    expect(textOf((await send('lookup +86 138 0013 8000')).body)).toContain('zhang.wei@acme.cn');
    const byDomain = (await send('lookup <http://stoneworks.com|stoneworks.com>')).body;
    expect(textOf(byDomain)).toContain('Bob Stone');
    expect(textOf((await send('lookup bob stone')).body)).toContain('Stoneworks');
  });

  it('shares the card in the channel with --share', async () => {
    const { body } = await send('lookup bob@stoneworks.com --share');
    expect(body!.response_type).toBe('in_channel');
  });

  it('offers a pick list when several match, and a button shows the card', async () => {
    const { body } = await send('lookup acme.cn');
    const blocks = body!.blocks as { accessory?: { action_id: string; value: string } }[];
    const buttons = blocks.flatMap((b) => (b.accessory ? [b.accessory] : []));
    expect(buttons).toHaveLength(2);
    expect(textOf(body)).toContain('2 customers match');
    const pick = buttons.find((b) => JSON.parse(b.value).id === zhang)!;
    const responseId = 'pick1';
    const res = await t.app.inject(
      interaction({
        type: 'block_actions',
        team: { id: 'T0OURS' },
        user: { id: 'U0STAFF', team_id: 'T0OURS' },
        channel: { id: 'C0PICK' },
        response_url: t.standIn.responseUrl(responseId),
        trigger_id: 't.1',
        actions: [{ type: 'button', action_id: pick.action_id, value: pick.value, block_id: 'b1', action_ts: '1' }],
      }),
    );
    expect(res.statusCode).toBe(200);
    const [reply] = await t.standIn.waitFor(() => (t.standIn.responsesTo(responseId).length ? t.standIn.responsesTo(responseId) : null));
    expect(reply!.body.replace_original).toBe(true);
    expect(textOf(reply!.body)).toContain('1300.00 CNY');
  });

  it('shows the segment and the value tier once analytics has run', async () => {
    const db = t.database.db;
    const [run] = await db.insert(segmentRuns).values({ k: 2, balanced: true, seed: 1, silhouette: 0.5, customers: 3, features: [], segments: [] }).returning();
    await db.insert(customerSegments).values({ runId: run!.id, customerId: zhang, segment: 0, labelEn: 'Loyal high spenders', labelZh: '忠实高消费' });
    const [model] = await db.insert(valueModels).values({ version: 1, labelSource: 'revenue_percentiles', rows: 3, cvAccuracy: 0.9, model: {} }).returning();
    await db.insert(customerValueTiers).values({ modelId: model!.id, customerId: zhang, tier: 'high', confidence: 0.75 });
    const text = textOf((await send('lookup zhang.wei@acme.cn')).body);
    expect(text).toContain('*Value*\nhigh — value model v1: 75% of similar customers are high (model accuracy 90%)');
    expect(text).toContain('*Segment*\nLoyal high spenders — 忠实高消费');
  });

  it('suggests the closest names when nothing matches', async () => {
    const { body } = await send('lookup Bob Stoen');
    const text = textOf(body);
    expect(text).toContain('No customer matches');
    expect(text).toContain('Closest names: *Bob Stone*');
    expect(textOf((await send('lookup 张为')).body)).toContain('*张伟*');
  });
});

describe('/crm note, link, unlink, digest, help', () => {
  it('stores a note on the customer as a Slack note', async () => {
    const { body } = await send('note bob@stoneworks.com Called about the renewal; wants a discount');
    expect(textOf(body)).toContain('Note saved on *Bob Stone*');
    const rows = await t.database.db.select().from(communications).where(eq(communications.channel, 'slack'));
    const note = rows.find((r) => r.kind === 'note')!;
    expect(note.text).toBe('Called about the renewal; wants a discount');
    expect(note.customerId).not.toBeNull();
  });

  it('refuses an ambiguous or unknown customer for a note, saving nothing', async () => {
    const before = (await t.database.db.select().from(communications)).length;
    expect(textOf((await send('note acme.cn hello')).body)).toContain('matches 2 customers');
    expect(textOf((await send('note nobody@nowhere.org hello')).body)).toContain('no customer matches');
    expect((await t.database.db.select().from(communications)).length).toBe(before);
  });

  it('links a channel to a company and unlinks it', async () => {
    t.standIn.sharedChannels.add('C0ACME');
    const { body } = await send('link <#C0ACME|acme-shared> Acme 科技');
    expect(textOf(body)).toContain('Linked <#C0ACME> to *Acme 科技*');
    expect(textOf(body)).toContain('Slack Connect');
    const [row] = await t.database.db.select().from(slackChannelLinks).where(eq(slackChannelLinks.channelId, 'C0ACME'));
    expect(row).toMatchObject({ teamId: 'T0OURS', shared: true, customerId: null, linkedBy: 'U0STAFF' });
    expect(textOf((await send('unlink <#C0ACME|acme-shared>')).body)).toContain('Unlinked');
    expect(await t.database.db.select().from(slackChannelLinks).where(eq(slackChannelLinks.channelId, 'C0ACME'))).toHaveLength(0);
    expect(textOf((await send('unlink <#C0ACME|acme-shared>')).body)).toContain('was not linked');
  });

  it('links the current channel to a customer by email', async () => {
    const { body } = await send('link bob@stoneworks.com', { channel: 'C0BOB' });
    expect(textOf(body)).toContain('Linked <#C0BOB> to *Bob Stone (Stoneworks)*');
  });

  it('previews today’s digest, ephemeral unless shared', async () => {
    const { body } = await send('digest');
    expect(body!.response_type).toBe('ephemeral');
    expect((body!.blocks as { type: string }[])[0]!.type).toBe('header');
    expect(textOf(body)).toContain('发货延迟');
    expect((await send('digest --share')).body!.response_type).toBe('in_channel');
  });

  it('answers help, unknown subcommands and missing arguments with usage', async () => {
    for (const text of ['help', '', 'frobnicate now', 'lookup', 'note bob@stoneworks.com', 'link', 'unlink general']) {
      const { res, body } = await send(text);
      expect(res.statusCode).toBe(200);
      const out = textOf(body);
      expect(out).toContain('/crm lookup');
      expect(out).not.toMatch(/at .*\.ts:\d+/);
    }
    expect(textOf((await send('frobnicate')).body)).toContain('Unknown subcommand `frobnicate`');
  });
});

describe('the 3-second rule', () => {
  it('acknowledges a slow lookup at once and answers through response_url', async () => {
    const slow = createSlack(t.ctx, channelsOf(t.ctx), {
      adapter: { ackBudgetMs: 300 },
      ports: {
        lookupCustomers: async (q, limit) => {
          await new Promise((r) => setTimeout(r, 1200));
          const { lookupCustomers } = await import('../../src/store/customer-lookup.js');
          return lookupCustomers(t.database.db, q, { limit, defaultRegion: 'CN' });
        },
      },
    })!;
    const app = Fastify().withTypeProvider<ZodTypeProvider>() as unknown as App;
    mountSlack(app, slow);
    await app.ready();
    try {
      const started = Date.now();
      const res = await app.inject(slashCommand('lookup bob@stoneworks.com', { responseUrl: t.standIn.responseUrl('slow1'), channel: 'C0SLOW' }));
      const took = Date.now() - started;
      expect(res.statusCode).toBe(200);
      expect(took).toBeLessThan(1000);
      expect(JSON.parse(res.body).text).toBe('Working on it…');
      const [reply] = await t.standIn.waitFor(() => (t.standIn.responsesTo('slow1').length ? t.standIn.responsesTo('slow1') : null));
      expect(textOf(reply!.body)).toContain('Bob Stone');
      expect(reply!.body.replace_original).toBe(true);
    } finally {
      await app.close();
    }
  });
});
