// PATCH /api/v1/communications/:id: a person corrects a message's kind or sentiment; the message
// and its thread change at once and the correction is kept for the nightly retrain.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureOf } from '../helpers/capture.js';
import { normalizeCustomer } from '../../src/core/customers.js';
import { createCustomer } from '../../src/store/customers-repo.js';
import { communications, kindCorrections, threads } from '../../src/store/schema/index.js';
import { apiHarness, type ApiHarness } from './api-harness.js';

let h: ApiHarness;
let ackId: string;
let refundId: string;

beforeAll(async () => {
  h = await apiHarness();
  await createCustomer(h.database.db, normalizeCustomer({ name: '王芳', emails: ['wang.fang@huaxin.cn'] }, { defaultRegion: 'CN' }));
  const capture = captureOf(h.ctx, { afterCommit: null });
  const mail = (externalId: string, text: string) => ({
    channel: 'email' as const, externalId, threadHints: {}, from: { email: 'wang.fang@huaxin.cn', name: '王芳' }, to: [{ email: 'support@ours.example' }],
    text, attachments: [], occurredAt: new Date(), flags: [],
  });
  ackId = (await capture(mail('<ack@huaxin.cn>', '收到，谢谢'))).id;
  refundId = (await capture(mail('<refund@huaxin.cn>', '收到货了，但是外箱破了，里面两个杯子碎了，麻烦处理一下退款'))).id;
}, 300_000);

afterAll(async () => h?.close());

const row = async (id: string) => (await h.database.db.select().from(communications).where(eq(communications.id, id)))[0]!;

describe('capture with the learned model', () => {
  it('reads an acknowledgement as a plain message and a damaged-goods refund request as an issue', async () => {
    expect((await row(ackId)).kind).toBe('message');
    const refund = await row(refundId);
    expect(refund.kind).toBe('issue');
    expect(refund.sentiment).toBeLessThan(0);
  });
});

describe('PATCH /api/v1/communications/:id', { timeout: 60_000 }, () => {
  it('corrects the kind and sentiment of the message and the kind of its thread, and records who did it', async () => {
    const before = await row(refundId);
    const res = await h.call('PATCH', `/api/v1/communications/${refundId}`, { body: { kind: 'complaint', sentiment: 'neg' } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      communicationId: refundId, threadId: before.threadId, old: { kind: 'issue', sentiment: before.sentiment }, new: { kind: 'complaint', sentiment: -1 }, correctedBy: 'token:test write', source: 'api',
    });
    const after = await row(refundId);
    expect(after).toMatchObject({ kind: 'complaint', sentiment: -1 });
    const [thread] = await h.database.db.select().from(threads).where(eq(threads.id, before.threadId!));
    expect(thread!.kind).toBe('complaint');
    const stored = await h.database.db.select().from(kindCorrections).where(eq(kindCorrections.communicationId, refundId));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ oldKind: 'issue', newKind: 'complaint', newSentiment: 'neg', source: 'api', correctedBy: 'token:test write' });
  });

  it('corrects the sentiment alone, leaving the kind; "other" is stored as a plain message', async () => {
    const res = await h.call('PATCH', `/api/v1/communications/${ackId}`, { body: { sentiment: 'pos' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ old: { kind: 'other' }, new: { kind: 'other', sentiment: 1 } });
    expect(await row(ackId)).toMatchObject({ kind: 'message', sentiment: 1 });
    const back = await h.call('PATCH', `/api/v1/communications/${refundId}`, { body: { kind: 'other' } });
    expect(back.json()).toMatchObject({ old: { kind: 'complaint' }, new: { kind: 'other' } });
    expect((await row(refundId)).kind).toBe('message');
  });

  it('answers 404 for an unknown or malformed id, writing nothing', async () => {
    const count = async () => (await h.database.db.select().from(kindCorrections)).length;
    const before = await count();
    const unknown = await h.call('PATCH', '/api/v1/communications/00000000-0000-4000-8000-000000000000', { body: { kind: 'issue' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');
    expect((await h.call('PATCH', '/api/v1/communications/nope', { body: { kind: 'issue' } })).statusCode).toBe(404);
    expect(await count()).toBe(before);
  });

  it('answers 400 for a bad kind, a bad sentiment, an unknown field or an empty body', async () => {
    for (const body of [{ kind: 'inquiry' }, { sentiment: 'angry' }, { kind: 'issue', mood: 'x' }, {}]) {
      const res = await h.call('PATCH', `/api/v1/communications/${ackId}`, { body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('validation');
    }
  });

  it('needs a write token', async () => {
    expect((await h.call('PATCH', `/api/v1/communications/${ackId}`, { scope: 'read', body: { kind: 'issue' } })).statusCode).toBe(403);
    expect((await h.call('PATCH', `/api/v1/communications/${ackId}`, { scope: null, body: { kind: 'issue' } })).statusCode).toBe(401);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const op = doc.paths['/api/v1/communications/{id}'].patch;
    expect(op.summary).toMatch(/Correct/);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
    expect(JSON.stringify(op.requestBody)).toContain('complaint');
  });
});
