// /api/v1/review, /api/v1/customers/:id/merge and /api/v1/staff over HTTP, with real tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureOf } from '../helpers/capture.js';
import { normalizeCustomer } from '../../src/core/customers.js';
import { createCustomer } from '../../src/store/customers-repo.js';
import { apiHarness, type ApiHarness } from './api-harness.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await apiHarness({ RAPPORT_INTERNAL_DOMAINS: 'rapport.example', RAPPORT_AUTO_CREATE: 'never' });
});
afterAll(async () => {
  await h.close();
});

const msg = (from: string, id: string) => ({
  channel: 'webhook', externalId: id, threadHints: {}, from: { email: from, name: 'Yan' }, to: [], subject: '退款', text: '请帮我退款',
  attachments: [], occurredAt: new Date('2026-04-01T08:00:00Z'), flags: [],
});

describe('review API', () => {
  it('lists the queue, links with a write token (recording the token) and the next message matches', async () => {
    const capture = captureOf(h.ctx);
    const yan = await createCustomer(h.database.db, normalizeCustomer({ name: 'Yan', emails: ['yan@corp.example'] }, { defaultRegion: 'CN' }));
    const m = await capture(msg('yan.home@163.com', 'r-1'));

    const list = await h.call('GET', '/api/v1/review', { scope: 'read' });
    expect(list.statusCode).toBe(200);
    expect(list.json().data).toEqual([expect.objectContaining({ communicationId: m.id, reason: 'unmatched', status: 'open', contact: { email: 'yan.home@163.com', name: 'Yan' } })]);

    const denied = await h.call('POST', `/api/v1/review/${m.id}/link`, { scope: 'read', body: { customer: 'yan@corp.example' } });
    expect(denied.statusCode).toBe(403);
    const unknown = await h.call('POST', `/api/v1/review/${m.id}/link`, { body: { customer: 'nobody@corp.example' } });
    expect(unknown.statusCode).toBe(404);

    const linked = await h.call('POST', `/api/v1/review/${m.id}/link`, { body: { customer: 'yan@corp.example' } });
    expect(linked.statusCode).toBe(200);
    expect(linked.json()).toEqual({ communicationId: m.id, customerId: yan, learned: ['email:yan.home@163.com'], heldElsewhere: [], alsoLinked: [] });
    const done = await h.call('GET', '/api/v1/review?status=linked', { scope: 'read' });
    expect(done.json().data[0]).toMatchObject({ resolvedCustomerId: yan, resolvedBy: 'token:test write' });
    expect((await capture(msg('YAN.HOME@163.com', 'r-2'))).customerId).toBe(yan);
  });

  it('dismisses, and answers 404 for an item that is not open', async () => {
    const capture = captureOf(h.ctx);
    const m = await capture(msg('who@nowhere.example', 'r-3'));
    expect((await h.call('POST', `/api/v1/review/${m.id}/dismiss`)).statusCode).toBe(200);
    expect((await h.call('POST', `/api/v1/review/${m.id}/dismiss`)).statusCode).toBe(404);
  });
});

describe('merge API', () => {
  it('merges by id or email and records the token', async () => {
    const db = h.database.db;
    const a = await createCustomer(db, normalizeCustomer({ name: 'A', emails: ['a@m.example'] }, { defaultRegion: 'CN' }));
    const b = await createCustomer(db, normalizeCustomer({ name: 'B', emails: ['b@m.example'] }, { defaultRegion: 'CN' }));
    expect((await h.call('POST', `/api/v1/customers/${a}/merge`, { scope: 'read', body: { into: b } })).statusCode).toBe(403);
    expect((await h.call('POST', `/api/v1/customers/${a}/merge`, { body: { into: a } })).statusCode).toBe(400);
    const r = await h.call('POST', `/api/v1/customers/${a}/merge`, { body: { into: 'b@m.example' } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ sourceId: a, targetId: b, mergedBy: 'token:test write', moved: { identities: 1, communications: 0 } });
    expect((await h.call('GET', `/api/v1/customers/${a}`, { scope: 'read' })).statusCode).toBe(404);
  });
});

describe('staff API', () => {
  it('adds a staff identity once and lists it with the internal domains', async () => {
    expect((await h.call('POST', '/api/v1/staff', { body: { identity: 'u0helper', name: 'Helper' } })).statusCode).toBe(201);
    expect((await h.call('POST', '/api/v1/staff', { body: { identity: 'U0HELPER' } })).statusCode).toBe(200);
    expect((await h.call('POST', '/api/v1/staff', { body: { identity: 'not a thing' } })).statusCode).toBe(400);
    const list = await h.call('GET', '/api/v1/staff', { scope: 'read' });
    expect(list.json()).toEqual({ internalDomains: ['rapport.example'], data: [expect.objectContaining({ kind: 'slack_user', value: 'U0HELPER', name: 'Helper' })] });
  });
});
