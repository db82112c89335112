// POST /webhooks/:source end to end, on the database RAPPORT_TEST_DB names: real signature, the real
// inbox and capture worker, real rows. The 202 comes once the message is in the inbox; `captured()`
// lets the capture worker finish before rows are looked at.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeaderValue } from '../../adapters/webhook/signature.js';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { normalizeCustomer } from '../../src/core/customers.js';
import { channelsOf } from '../../src/channels/index.js';
import { build, type App } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { createCustomer } from '../../src/store/customers-repo.js';
import { communications, webhookSources } from '../../src/store/schema/index.js';
import { secretBoxFor } from '../../src/secret-key.js';
import { createWebhookSource, rotateWebhookSecret, type WebhookSourceScope } from '../../src/store/webhook-sources-repo.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { countRows, signedPost } from './signed-post.js';

const configSecret = 'whsec_from_the_environment_01';
let database: TestDatabase;
let ctx: AppContext;
let app: App;
let helpdesk: string;
let site: string;
let relay: string;
let scope: WebhookSourceScope;

const now = () => Math.floor(Date.now() / 1000);
const captured = () => channelsOf(ctx).worker.drain();
const webhookRows = async (externalId: string) => {
  await captured();
  return countRows(ctx.database.db, 'communications', sql`channel = 'webhook' and external_id = ${externalId}`);
};

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = await createContext(
    loadConfig({ RAPPORT_WEBHOOK_SOURCES: `crm-sync:generic:${configSecret}`, RAPPORT_INTERNAL_DOMAINS: 'ourco.com', RAPPORT_SECRET_KEY: 'test-key-for-sealed-secrets' }),
    createLogger('silent'),
    database,
  );
  app = await build({ ctx, logRequests: false });
  scope = { configured: [], box: secretBoxFor(ctx.config, ctx.database) };
  helpdesk = (await createWebhookSource(ctx.database.db, scope, { name: 'helpdesk', preset: 'generic', secret: 'whsec_helpdesk_secret_0001' })).secret;
  site = (await createWebhookSource(ctx.database.db, scope, { name: 'site', preset: 'form', secret: 'whsec_site_secret_00000001' })).secret;
  relay = (await createWebhookSource(ctx.database.db, scope, { name: 'relay', preset: 'raw-email', secret: 'whsec_relay_secret_0000001' })).secret;
  const customer = normalizeCustomer({ name: '王芳', emails: ['wang.fang@kunlun.cn'], company: 'Kunlun', domains: ['kunlun.cn'] }, { defaultRegion: 'CN' });
  await createCustomer(ctx.database.db, customer);
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

const message = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id, from: { email: 'Wang.Fang@kunlun.cn', name: '王芳' }, subject: '退款', text: '我的订单还没有退款，请尽快处理。', ...extra });

describe('POST /webhooks/:source', () => {
  it('answers 202 accepted once the message is in the inbox, and captures it under that id, attached to its customer', async () => {
    const res = await signedPost(app, { source: 'helpdesk', secret: helpdesk, body: message('m-1') });
    expect(res.statusCode).toBe(202);
    const body = res.json() as { id: string; status: string };
    expect(body.status).toBe('accepted');
    await captured();
    const [row] = await ctx.database.db.select().from(communications).where(eq(communications.id, body.id));
    expect(row).toMatchObject({ channel: 'webhook', externalId: 'helpdesk:m-1', direction: 'inbound', subject: '退款', text: '我的订单还没有退款，请尽快处理。' });
    expect(row!.customerId).not.toBeNull();
    expect(row!.match?.rule).toBe('identity:email');
  });

  it('answers a redelivery with the first id and status duplicate, writing nothing', async () => {
    const first = await signedPost(app, { source: 'helpdesk', secret: helpdesk, body: message('m-2') });
    const again = await signedPost(app, { source: 'helpdesk', secret: helpdesk, body: message('m-2', { text: 'edited on resend' }), timestamp: now() - 10 });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ id: (first.json() as { id: string }).id, status: 'duplicate' });
    expect(await webhookRows('helpdesk:m-2')).toBe(1);
  });

  it('stores 100 concurrent deliveries of one webhook as one row, and every answer carries its id', async () => {
    const body = message('m-burst');
    const header = signatureHeaderValue(helpdesk, body);
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => signedPost(app, { source: 'helpdesk', secret: helpdesk, body, signature: header })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(100).fill(202));
    const bodies = answers.map((a) => a.json() as { id: string; status: string });
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    expect(bodies.filter((b) => b.status === 'accepted')).toHaveLength(1);
    expect(await webhookRows('helpdesk:m-burst')).toBe(1);
  });

  it('threads messages that share a thread_id, per source', async () => {
    const a = await signedPost(app, { source: 'helpdesk', secret: helpdesk, body: message('t-1', { thread_id: 'ticket-9' }) });
    const b = await signedPost(app, { source: 'helpdesk', secret: helpdesk, body: message('t-2', { thread_id: 'ticket-9' }) });
    const c = await signedPost(app, { source: 'crm-sync', secret: configSecret, body: message('t-3', { thread_id: 'ticket-9' }) });
    const ids = [a, b, c].map((r) => (r.json() as { id: string }).id);
    await captured();
    const rows = await ctx.database.db.select({ id: communications.id, threadId: communications.threadId }).from(communications).where(sql`${communications.id} in ${ids}`);
    const threadOf = (id: string) => rows.find((r) => r.id === id)!.threadId;
    expect(threadOf(ids[0]!)).not.toBeNull();
    expect(threadOf(ids[1]!)).toBe(threadOf(ids[0]!));
    expect(threadOf(ids[2]!)).not.toBe(threadOf(ids[0]!));
  });

  it('uses the Idempotency-Key as the id when the payload has none', async () => {
    const noId = (text: string) => JSON.stringify({ from: { email: 'buyer@example.org' }, text });
    const a = await signedPost(app, { source: 'helpdesk', secret: helpdesk, body: noId('first try'), idempotencyKey: 'evt_555' });
    const b = await signedPost(app, { source: 'helpdesk', secret: helpdesk, body: noId('first try (retry)'), idempotencyKey: 'evt_555' });
    expect(a.json()).toMatchObject({ status: 'accepted' });
    expect(b.json()).toEqual({ id: (a.json() as { id: string }).id, status: 'duplicate' });
    expect(await webhookRows('helpdesk:evt_555')).toBe(1);
  });

  it('accepts sources from RAPPORT_WEBHOOK_SOURCES', async () => {
    const res = await signedPost(app, { source: 'crm-sync', secret: configSecret, body: message('cfg-1') });
    expect(res.statusCode).toBe(202);
    expect(await webhookRows('crm-sync:cfg-1')).toBe(1);
  });

  it('maps a urlencoded website form (the form preset)', async () => {
    const body = 'name=Chen+Jie&email=chen%40lotus.cn&message=%E8%AF%B7%E8%81%94%E7%B3%BB%E6%88%91&company=Lotus';
    const res = await signedPost(app, { source: 'site', secret: site, body, contentType: 'application/x-www-form-urlencoded' });
    expect(res.statusCode).toBe(202);
    await captured();
    const [row] = await ctx.database.db.select().from(communications).where(eq(communications.id, (res.json() as { id: string }).id));
    expect(row!.text).toBe('请联系我\n\ncompany: Lotus');
    expect(row!.externalId).toMatch(/^site:sha256-/);
    expect(row!.participants).toEqual(expect.arrayContaining([expect.objectContaining({ role: 'from', email: 'chen@lotus.cn' })]));
  });

  it('runs a raw RFC 822 message through the email parser (the raw-email preset)', async () => {
    const raw = [
      'From: =?UTF-8?B?546L6Iqz?= <wang.fang@kunlun.cn>',
      'To: support@ourco.com',
      'Subject: =?UTF-8?B?5Y+R56Wo6Zeu6aKY?=',
      'Date: Tue, 24 Nov 2026 09:15:00 +0800',
      'Message-ID: <r-1@mail.kunlun.cn>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      '发票抬头写错了，请重新开一张。',
      '',
    ].join('\r\n');
    const res = await signedPost(app, { source: 'relay', secret: relay, body: raw, contentType: 'message/rfc822' });
    expect(res.statusCode).toBe(202);
    await captured();
    const [row] = await ctx.database.db.select().from(communications).where(eq(communications.id, (res.json() as { id: string }).id));
    // On the email channel under its Message-ID: the same mail read over IMAP is the same record.
    expect(row).toMatchObject({ channel: 'email', externalId: '<r-1@mail.kunlun.cn>', subject: '发票问题', direction: 'inbound' });
    expect(row!.text).toContain('发票抬头写错了');
    expect(row!.customerId).not.toBeNull();
    expect(row!.occurredAt.toISOString()).toBe('2026-11-24T01:15:00.000Z');
    const again = await signedPost(app, { source: 'relay', secret: relay, body: raw, contentType: 'message/rfc822' });
    expect(again.json()).toEqual({ id: row!.id, status: 'duplicate' });

    const noId = raw.replace('Message-ID: <r-1@mail.kunlun.cn>\r\n', '');
    const keyed = await signedPost(app, { source: 'relay', secret: relay, body: noId, contentType: 'message/rfc822', idempotencyKey: 'relay-evt-1' });
    expect(keyed.statusCode).toBe(202);
    await captured();
    expect(await countRows(ctx.database.db, 'communications', sql`channel = 'email' and external_id = 'relay:relay-evt-1'`)).toBe(1);
  });

  describe('rejects, writing nothing', () => {
    const inboxRows = async () => Number(((await ctx.database.db.execute(sql`select count(*) as n from inbox`)) as unknown as { rows: { n: unknown }[] }).rows[0]!.n);
    const rejected = async (p: Parameters<typeof signedPost>[1], status: number, code: string) => {
      await captured();
      const before = [await countRows(ctx.database.db, 'communications'), await inboxRows()];
      const res = await signedPost(app, p);
      expect(res.statusCode).toBe(status);
      expect((res.json() as { error: { code: string } }).error.code).toBe(code);
      await captured();
      expect([await countRows(ctx.database.db, 'communications'), await inboxRows()]).toEqual(before);
      return res.json() as { error: { code: string; details?: { reason?: string; fields?: { field: string }[] } } };
    };

    it('401 for a tampered body', async () => {
      const header = signatureHeaderValue(helpdesk, message('x-1'));
      const r = await rejected({ source: 'helpdesk', secret: helpdesk, body: message('x-1', { text: 'tampered' }), signature: header }, 401, 'bad_signature');
      expect(r.error.details?.reason).toBe('no_matching_signature');
    });

    it('401 for a stale and for a future timestamp', async () => {
      expect((await rejected({ source: 'helpdesk', secret: helpdesk, body: message('x-2'), timestamp: now() - 600 }, 401, 'bad_signature')).error.details?.reason).toBe('stale_timestamp');
      expect((await rejected({ source: 'helpdesk', secret: helpdesk, body: message('x-2'), timestamp: now() + 600 }, 401, 'bad_signature')).error.details?.reason).toBe('future_timestamp');
    });

    it('401 for a missing or malformed header, and for another source\'s secret', async () => {
      expect((await rejected({ source: 'helpdesk', secret: helpdesk, body: message('x-3'), signature: null }, 401, 'bad_signature')).error.details?.reason).toBe('missing_header');
      expect((await rejected({ source: 'helpdesk', secret: helpdesk, body: message('x-3'), signature: 'sha256=abc' }, 401, 'bad_signature')).error.details?.reason).toBe('malformed_header');
      await rejected({ source: 'helpdesk', secret: site, body: message('x-3') }, 401, 'bad_signature');
    });

    it('401 for an unknown source, exactly as for a wrong signature (names cannot be discovered)', async () => {
      const unknown = await rejected({ source: 'nobody', secret: helpdesk, body: message('x-4') }, 401, 'bad_signature');
      const wrong = await rejected({ source: 'helpdesk', secret: 'whsec_not_the_secret_00001', body: message('x-4') }, 401, 'bad_signature');
      expect(unknown).toEqual(wrong);
      const unsigned = await rejected({ source: 'nobody', secret: helpdesk, body: message('x-4'), signature: null }, 401, 'bad_signature');
      expect(unsigned.error.details?.reason).toBe('missing_header');
    });

    it('400 with field errors for a payload the mapping cannot use', async () => {
      const r = await rejected({ source: 'helpdesk', secret: helpdesk, body: JSON.stringify({ id: 'x-5', from: { email: 'nope' } }) }, 400, 'validation');
      expect(r.error.details?.fields?.map((f) => f.field).sort()).toEqual(['from.email', 'text']);
      await rejected({ source: 'helpdesk', secret: helpdesk, body: '{"id": "x-5",' }, 400, 'validation');
    });

    it('413 for a body over the limit (1 MB), before any signature work', async () => {
      const big = message('x-6', { text: 'a'.repeat(1024 * 1024) });
      await rejected({ source: 'helpdesk', secret: helpdesk, body: big }, 413, 'payload_too_large');
    });

    it('400 for a raw-email body that is not a mail message', async () => {
      const r = await rejected({ source: 'relay', secret: relay, body: 'just some words, no headers', contentType: 'text/plain' }, 400, 'validation');
      expect(r.error.details?.fields?.map((f) => f.field)).toEqual(['body']);
    });

    it('415 for a content type the preset does not take', async () => {
      await rejected({ source: 'helpdesk', secret: helpdesk, body: 'a=b', contentType: 'application/x-www-form-urlencoded' }, 415, 'unsupported');
    });
  });

  it('keeps source secrets sealed at rest, never in clear', async () => {
    const rows = await ctx.database.db.select({ secret: webhookSources.secret }).from(webhookSources);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.secret).toMatch(/^rsb1\./);
      expect(r.secret).not.toContain(helpdesk);
    }
  });

  it('keeps the previous secret valid during a rotation grace period, and not after', async () => {
    await createWebhookSource(ctx.database.db, scope, { name: 'rotating', preset: 'generic', secret: 'whsec_rotating_old_000001' });
    await rotateWebhookSecret(ctx.database.db, scope, { name: 'rotating', secret: 'whsec_rotating_new_000001', graceSeconds: 3600 });
    expect((await signedPost(app, { source: 'rotating', secret: 'whsec_rotating_old_000001', body: message('r-1') })).statusCode).toBe(202);
    expect((await signedPost(app, { source: 'rotating', secret: 'whsec_rotating_new_000001', body: message('r-2') })).statusCode).toBe(202);
    await rotateWebhookSecret(ctx.database.db, scope, { name: 'rotating', secret: 'whsec_rotating_newer_0001', graceSeconds: 0 });
    expect((await signedPost(app, { source: 'rotating', secret: 'whsec_rotating_new_000001', body: message('r-3') })).statusCode).toBe(401);
    expect((await signedPost(app, { source: 'rotating', secret: ['whsec_rotating_new_000001', 'whsec_rotating_newer_0001'], body: message('r-3') })).statusCode).toBe(202);
  });
});
