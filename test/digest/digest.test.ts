import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSmtpMailer } from '../../adapters/smtp/mailer.js';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { normalizeCustomer } from '../../src/core/customers.js';
import type { SlackDigestMessage } from '../../src/digest/render-slack.js';
import { buildDigest, defaultDigestAnalytics, runDueDigests, type DigestOptions } from '../../src/jobs/digests.js';
import { isOwnOrigin } from '../../src/mail/own-header.js';
import { createLogger } from '../../src/log.js';
import { upsertCustomer } from '../../src/store/customers-repo.js';
import { createSubscription, listDeliveries } from '../../src/store/digest-repo.js';
import { communications, customerValueTiers, digestDeliveries, digestSubscriptions, orders, valueModels } from '../../src/store/schema/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';

const H = 3_600_000;
// The digest of 2026-11-25 09:00 Asia/Shanghai covers the 24 hours before: 2026-11-24T01:00Z .. 2026-11-25T01:00Z.
const slot = new Date('2026-11-25T01:00:00Z');
const at = (hoursBeforeSlot: number) => new Date(slot.getTime() - hoursBeforeSlot * H);
const opts: DigestOptions = { waitingHours: 24, negativeThreshold: -0.4, analytics: defaultDigestAnalytics };

describe('daily digest', () => {
  let database: TestDatabase;
  let ctx: AppContext;
  let smtp: TestSmtpServer;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    ctx = await createContext(loadConfig({}), createLogger('silent'), database);
    smtp = await startSmtpServer();
    const db = database.db;
    const mk = async (key: string, name: string, email: string, owner: string) => {
      ids[key] = (await upsertCustomer(db, normalizeCustomer({ name, emails: [email], company: `${name} Co`, owner }, { defaultRegion: 'CN' }))).id;
    };
    await mk('big', '大客户', 'big@bigco.cn', 'li');
    await mk('small', 'Small Shop', 'owner@small.example', 'li');
    await mk('quiet', 'Quiet Ltd', 'q@quiet.example', 'wang');
    await mk('waiting', 'Waiting Inc', 'w@waiting.example', 'wang');
    // Revenue: "big" is the top 20 %.
    await db.insert(orders).values([
      { customerId: ids.big!, externalId: 'o1', amount: '90000', currency: 'CNY', status: 'paid', orderedAt: at(500) },
      { customerId: ids.small!, externalId: 'o2', amount: '100', currency: 'CNY', status: 'paid', orderedAt: at(500) },
      { customerId: ids.quiet!, externalId: 'o3', amount: '200', currency: 'CNY', status: 'paid', orderedAt: at(500) },
      { customerId: ids.waiting!, externalId: 'o4', amount: '300', currency: 'CNY', status: 'paid', orderedAt: at(500) },
    ]);
    let n = 0;
    const comm = (customer: string | null, hoursBefore: number, fields: Partial<typeof communications.$inferInsert>) => ({
      channel: 'email',
      direction: 'inbound' as const,
      kind: 'message',
      externalId: `m${n++}`,
      customerId: customer ? ids[customer]! : null,
      text: 'hello',
      occurredAt: at(hoursBefore),
      createdAt: at(hoursBefore),
      ...fields,
    });
    await db.insert(communications).values([
      // In the window: 5 real messages + 1 auto-reply (noise, never counted).
      comm('big', 3, { kind: 'complaint', text: '发货太慢了，非常失望', sentiment: -0.8, keywords: ['发货', '延迟'], subject: '发货延迟' }),
      comm('big', 2, { kind: 'issue', channel: 'slack', text: 'Refund request still open', sentiment: -0.5, keywords: ['refund request', '发货'] }),
      comm('small', 5, { kind: 'feedback', text: 'Love the new dashboard', sentiment: 0.7, keywords: ['dashboard', '发货'] }),
      comm('small', 4, { direction: 'outbound', text: 'Thanks!', keywords: [] }),
      comm('quiet', 6, { kind: 'question', channel: 'webhook', text: 'How do I export?', keywords: ['export'] }),
      comm(null, 1, { flags: ['auto_reply'], kind: 'message', text: 'Out of office', keywords: ['发货'] }),
      // Before the window: waiting customer wrote 30 h ago, no answer since.
      comm('waiting', 30, { kind: 'question', subject: 'Invoice?', text: 'Where is my invoice?', keywords: ['invoice'] }),
    ]);
  });

  beforeEach(async () => {
    await database.db.delete(digestDeliveries);
    await database.db.delete(digestSubscriptions);
    smtp.received.length = 0;
  });

  afterAll(async () => {
    await smtp.close();
    await database.close();
  });

  it('has exact sections and counts on seeded data, leaving noise out', async () => {
    const d = await buildDigest(database.db, { slot, timeZone: 'Asia/Shanghai', owner: null, segment: null, late: false }, opts);
    expect(d.day).toBe('2026-11-25');
    expect(d.newByChannel).toEqual([
      { channel: 'email', kind: 'complaint', count: 1 },
      { channel: 'email', kind: 'feedback', count: 1 },
      { channel: 'email', kind: 'message', count: 1 },
      { channel: 'slack', kind: 'issue', count: 1 },
      { channel: 'webhook', kind: 'question', count: 1 },
    ]);
    expect(d.newFeedback.map((m) => [m.customer?.name, m.kind])).toEqual([
      ['大客户', 'issue'],
      ['大客户', 'complaint'],
      ['Small Shop', 'feedback'],
    ]);
    expect(d.negativeHighValue.map((m) => m.snippet)).toEqual(['发货太慢了，非常失望', 'Refund request still open']);
    // Quiet Ltd wrote 6 h ago (under 24 h); Small Shop got our answer; only Waiting Inc waits.
    expect(d.waiting.map((w) => [w.customer.name, w.hoursWaiting])).toEqual([['Waiting Inc', 30]]);
    expect(d.topKeywords[0]).toEqual({ term: '发货', count: 3 });
    expect(d.risingKeywords.map((k) => k.term)).toEqual(['发货']);
  });

  it('filters by owner', async () => {
    const d = await buildDigest(database.db, { slot, timeZone: 'Asia/Shanghai', owner: 'wang', segment: null, late: false }, opts);
    expect(d.newByChannel).toEqual([{ channel: 'webhook', kind: 'question', count: 1 }]);
    expect(d.newFeedback).toEqual([]);
    expect(d.waiting.map((w) => w.customer.name)).toEqual(['Waiting Inc']);
  });

  it('emails the digest: received by a real SMTP server with subject, HTML and text parts and our header', async () => {
    await database.db.insert(digestSubscriptions).values({ targetKind: 'email', target: 'team@example.com', at: '09:00', timeZone: 'Asia/Shanghai', createdAt: at(48) });
    const mail = createSmtpMailer({ url: smtp.url, from: 'rapport@example.com', ignoreTls: true });
    const r = await runDueDigests(ctx, { mail }, opts, new Date(slot.getTime() + 60_000));
    mail.close();
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]!.late).toBe(false);
    const got = smtp.received[0]!;
    expect(got.parsed.subject).toBe('Rapport daily digest · 每日摘要 — 2026-11-25');
    expect(got.parsed.text).toContain('Waiting Inc (Waiting Inc Co): 30 h — Invoice?');
    expect(got.parsed.html).toContain('发货太慢了，非常失望');
    expect(isOwnOrigin(String(got.parsed.headers.get('x-rapport-origin')))).toBe(true);
  });

  it('after downtime sends the missed digest once, marked late, not once per missed day', async () => {
    const [sub] = await database.db
      .insert(digestSubscriptions)
      .values({ targetKind: 'slack', target: 'C123', at: '09:00', timeZone: 'Asia/Shanghai', createdAt: at(24 * 10) })
      .returning();
    const posted: SlackDigestMessage[] = [];
    const slack = async (_c: string, m: SlackDigestMessage) => void posted.push(m);
    // Down for three days; back at 15:00 Shanghai time.
    const back = new Date(slot.getTime() + 6 * H);
    const first = await runDueDigests(ctx, { slack }, opts, back);
    const again = await runDueDigests(ctx, { slack }, opts, new Date(back.getTime() + 60_000));
    expect(first.sent).toEqual([{ subscriptionId: sub!.id, slot: slot.toISOString(), late: true }]);
    expect(again.sent).toEqual([]);
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]!.blocks)).toContain('Sent late');
    expect((await listDeliveries(database.db, sub!.id)).map((d) => d.status)).toEqual(['sent']);
  });

  it('two instances ticking at once send one digest', async () => {
    await createSubscription(database.db, { targetKind: 'slack', target: 'C999', at: '09:00', timeZone: 'Asia/Shanghai', owner: null, segment: null });
    await database.db.update(digestSubscriptions).set({ createdAt: at(48) });
    let posts = 0;
    const slack = async () => void posts++;
    const now = new Date(slot.getTime() + 30_000);
    const results = await Promise.all([runDueDigests(ctx, { slack }, opts, now), runDueDigests(ctx, { slack }, opts, now)]);
    expect(results.flatMap((r) => r.sent)).toHaveLength(1);
    expect(posts).toBe(1);
  });

  it('records a failed delivery and retries it later instead of losing it', async () => {
    await database.db.insert(digestSubscriptions).values({ targetKind: 'email', target: 'team@example.com', at: '09:00', timeZone: 'Asia/Shanghai', createdAt: at(48) });
    const now = new Date(slot.getTime() + 60_000);
    const failed = await runDueDigests(ctx, {}, opts, now);
    expect(failed.failed[0]!.error).toMatch(/SMTP is not configured/);
    const tooSoon = await runDueDigests(ctx, {}, opts, now);
    expect(tooSoon.failed).toEqual([]);
    await database.db.update(digestDeliveries).set({ claimedAt: new Date(Date.now() - 10 * 60_000) });
    const mail = createSmtpMailer({ url: smtp.url, from: 'rapport@example.com', ignoreTls: true });
    const retried = await runDueDigests(ctx, { mail }, opts, now);
    mail.close();
    expect(retried.sent).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);
  });

  it('lists value-tier changes of the model trained in the window, and uses its high tier as "high value"', async () => {
    const db = database.db;
    const model = async (version: number, hoursBefore: number, tiers: Record<string, string>) => {
      const [m] = await db.insert(valueModels).values({ version, labelSource: 'test', rows: 4, model: {}, createdAt: at(hoursBefore) }).returning();
      await db.insert(customerValueTiers).values(Object.entries(tiers).map(([k, tier]) => ({ modelId: m!.id, customerId: ids[k]!, tier, confidence: 1 })));
    };
    try {
      await model(1, 100, { big: 'high', small: 'low', quiet: 'low', waiting: 'low' });
      await model(2, 2, { big: 'low', small: 'high', quiet: 'low', waiting: 'low' });
      const d = await buildDigest(database.db, { slot, timeZone: 'Asia/Shanghai', owner: null, segment: null, late: false }, opts);
      expect(d.changes.map((c) => [c.customer.name, c.what, c.from, c.to])).toEqual([
        ['Small Shop', 'value tier', 'low', 'high'],
        ['大客户', 'value tier', 'high', 'low'],
      ]);
      // "大客户" is no longer high value under model 2: its negative messages leave that section.
      expect(d.negativeHighValue).toEqual([]);
    } finally {
      await db.delete(valueModels);
    }
  });
});

describe('daily digest to Slack through the Web API', () => {
  it('posts Block Kit to the subscribed channel via the paced client, waiting out a 429', async () => {
    const { SlackStandIn } = await import('../helpers/slack-stand-in.js');
    const { channelsOf } = await import('../../src/channels/index.js');
    const slack = await SlackStandIn.start();
    const database = await createTestDatabase();
    try {
      const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'test-signing-secret', SLACK_API_URL: slack.apiUrl, SLACK_ALLOWED_TEAM_IDS: 'T0OURS' });
      const ctx = await createContext(config, createLogger('silent'), database);
      await database.db.insert(digestSubscriptions).values({ targetKind: 'slack', target: 'C0DIGEST', at: '09:00', timeZone: 'Asia/Shanghai', createdAt: at(48) });
      slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
      const sender = async (channel: string, message: { text: string; blocks: unknown[] }) => void (await (await channelsOf(ctx).slack())!.api.postMessage(channel, message));
      const r = await runDueDigests(ctx, { slack: sender }, opts, new Date(slot.getTime() + 60_000));
      expect(r.sent).toHaveLength(1);
      const posts = slack.callsOf('chat.postMessage');
      // The first attempt got 429; the client waited Retry-After and posted again.
      expect(posts.length).toBe(2);
      const last = posts.at(-1)!.args as { channel: string; text: string; blocks: { type: string }[] };
      expect(last.channel).toBe('C0DIGEST');
      expect(last.text).toBe('Rapport daily digest · 每日摘要 — 2026-11-25');
      expect(last.blocks[0]!.type).toBe('header');
      expect(last.blocks.length).toBeLessThanOrEqual(50);
    } finally {
      await database.close();
      await slack.close();
    }
  });
});
