import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertOnCapture, type AlertDeps, type AlertMessage } from '../../src/channels/alerts.js';
import { analysisAs, captureOf } from '../helpers/capture.js';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import type { CaptureResult } from '../../src/core/inbound-message.js';
import { normalizeCustomer } from '../../src/core/customers.js';
import type { InboundMessage } from '../../src/core/inbound-message.js';
import { createLogger } from '../../src/log.js';
import { upsertCustomer } from '../../src/store/customers-repo.js';
import { topRevenueCustomers } from '../../src/store/digest-queries.js';
import { orders } from '../../src/store/schema/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

// Analysis here reads the kind and sentiment from the test message's subject, so each case states
// what analysis concluded.
const analysis = analysisAs((m) => {
  const [kind, sentiment] = (m.subject ?? 'message 0').split(' ');
  return { kind: kind as never, sentiment: Number(sentiment) };
});

let n = 0;
const message = (from: string, subject: string, threadKey?: string): InboundMessage => ({
  channel: 'webhook',
  externalId: `a-${n++}`,
  threadHints: threadKey ? { key: threadKey } : {},
  from: { email: from },
  to: [],
  subject,
  text: 'Our order is late again and nobody answers.',
  attachments: [],
  occurredAt: new Date(),
  flags: [],
});

describe('real-time alerts', () => {
  let database: TestDatabase;
  let ctx: AppContext;
  let capture: (m: InboundMessage) => Promise<CaptureResult>;
  const posted: AlertMessage[] = [];
  let deps: AlertDeps;

  beforeAll(async () => {
    database = await createTestDatabase();
    ctx = await createContext(loadConfig({}), createLogger('silent'), database);
    capture = captureOf(ctx, { analysis });
    const big = await upsertCustomer(database.db, normalizeCustomer({ name: 'Big Buyer', emails: ['boss@big.example'] }, { defaultRegion: 'US' }));
    const small = await upsertCustomer(database.db, normalizeCustomer({ name: 'Small Buyer', emails: ['me@small.example'] }, { defaultRegion: 'US' }));
    await database.db.insert(orders).values([
      { customerId: big.id, externalId: 'b1', amount: '50000', currency: 'USD', status: 'paid', orderedAt: new Date() },
      { customerId: small.id, externalId: 's1', amount: '20', currency: 'USD', status: 'paid', orderedAt: new Date() },
    ]);
    deps = {
      channel: 'C_ALERTS',
      post: async (_c, m) => void posted.push(m),
      isHighValue: async (db, id) => (await topRevenueCustomers(db)).includes(id),
    };
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('alerts on a complaint from a high-value customer, once per thread per day', async () => {
    posted.length = 0;
    const first = await alertOnCapture(ctx, await capture(message('boss@big.example', 'complaint -0.3', 't1')), deps);
    const second = await alertOnCapture(ctx, await capture(message('boss@big.example', 'issue -0.2', 't1')), deps);
    expect(first).toEqual({ alerted: true, reason: 'complaint from a high-value customer' });
    expect(second).toEqual({ alerted: false, reason: 'already alerted for this thread today' });
    expect(posted).toHaveLength(1);
    expect(posted[0]!.text).toContain('Big Buyer');
  });

  it('does not alert on a complaint from a low-value customer unless it is strongly negative', async () => {
    posted.length = 0;
    expect(await alertOnCapture(ctx, await capture(message('me@small.example', 'complaint -0.3', 't2')), deps)).toEqual({ alerted: false });
    expect(await alertOnCapture(ctx, await capture(message('me@small.example', 'message -0.9', 't3')), deps)).toEqual({
      alerted: true,
      reason: 'strongly negative (-0.90)',
    });
    expect(posted).toHaveLength(1);
  });

  it('never alerts twice for a redelivered message', async () => {
    posted.length = 0;
    const m = message('boss@big.example', 'complaint -0.5', 't4');
    await alertOnCapture(ctx, await capture(m), deps);
    expect(await alertOnCapture(ctx, await capture(m), deps)).toEqual({ alerted: false });
    expect(posted).toHaveLength(1);
  });

  it('releases the claim when posting fails, so the thread can still alert', async () => {
    const failing: AlertDeps = { ...deps, post: async () => Promise.reject(new Error('Slack down')) };
    await expect(alertOnCapture(ctx, await capture(message('boss@big.example', 'complaint -0.5', 't5')), failing)).rejects.toThrow('Slack down');
    posted.length = 0;
    expect((await alertOnCapture(ctx, await capture(message('boss@big.example', 'issue -0.5', 't5')), deps)).alerted).toBe(true);
  });
});

describe('alerts wired into capture', () => {
  it('posts to the configured Slack channel through the Web API within seconds of capture', async () => {
    const { SlackStandIn } = await import('../helpers/slack-stand-in.js');
    const slack = await SlackStandIn.start();
    const database = await createTestDatabase();
    try {
      const config = loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'test-signing-secret',
        SLACK_API_URL: slack.apiUrl,
        SLACK_ALLOWED_TEAM_IDS: 'T0OURS',
        RAPPORT_ALERT_SLACK_CHANNEL: 'C_ALERTS',
      });
      const ctx = await createContext(config, createLogger('silent'), database);
      await upsertCustomer(database.db, normalizeCustomer({ name: 'Angry Anna', emails: ['anna@cust.example'] }, { defaultRegion: 'US' }));
      const capture = captureOf(ctx, { analysis });
      const t0 = Date.now();
      await capture(message('anna@cust.example', 'message -0.95', 'wired-1'));
      const call = await slack.waitFor(() => slack.callsOf('chat.postMessage')[0], 5000);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(call.args.channel).toBe('C_ALERTS');
      expect(String(call.args.text)).toContain('Angry Anna');
      // The same thread again today: no second post.
      await capture(message('anna@cust.example', 'message -0.99', 'wired-1'));
      await new Promise((r) => setTimeout(r, 500));
      expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
      await ctx.close();
    } finally {
      await database.close();
      await slack.close();
    }
  });
});
