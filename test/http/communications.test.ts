import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPages, apiHarness, insertCommunication, type ApiHarness } from './api-harness.js';

let h: ApiHarness;
let alice: string;
let bob: string;
const ids: Record<string, string> = {};
type Hit = { id: string; subject: string | null; text: string; occurredAt: string; rank: number; customerId: string | null };

beforeAll(async () => {
  h = await apiHarness();
  alice = (await h.call('POST', '/api/v1/customers', { body: { name: 'Alice', emails: ['alice@acme.com'] } })).json().id;
  bob = (await h.call('POST', '/api/v1/customers', { body: { name: '张伟', emails: ['zhangwei@example.cn'] } })).json().id;
  const base = Date.parse('2025-03-01T09:00:00Z');
  for (let i = 0; i < 25; i++) {
    await insertCommunication(h.database, { customerId: alice, subject: `Update ${i}`, text: `Weekly note number ${i}`, occurredAt: new Date(base + i * 3_600_000) });
  }
  // Two at the same instant: the id decides their order, and paging must not lose one.
  await insertCommunication(h.database, { customerId: alice, text: 'same moment A', occurredAt: new Date(base + 5 * 3_600_000) });
  ids.zhRefund = await insertCommunication(h.database, { customerId: bob, subject: '订单问题', text: '请尽快处理退款', occurredAt: new Date(base) });
  ids.zhShipping = await insertCommunication(h.database, { customerId: bob, text: '发货太慢了，客服也不回复', occurredAt: new Date(base + 1000) });
  ids.enRefund = await insertCommunication(h.database, { customerId: alice, subject: 'Billing', text: 'I would like a refund for the last invoice.', occurredAt: new Date(base + 2000) });
  ids.enRefunded = await insertCommunication(h.database, { customerId: null, subject: 'Refunded twice? refund refund', text: 'We refunded the order.', occurredAt: new Date(base + 3000), channel: 'slack' });
  ids.enOther = await insertCommunication(h.database, { customerId: alice, text: 'Thanks for the quick delivery', occurredAt: new Date(base + 4000) });
});
afterAll(async () => h?.close());

describe("a customer's timeline", () => {
  it('lists their communications newest first, across pages without duplicates or gaps', async () => {
    const { items, pages } = await allPages<Hit>(h, `/api/v1/customers/${alice}/communications?limit=4`);
    expect(items).toHaveLength(28);
    expect(pages).toBe(7);
    expect(new Set(items.map((c) => c.id)).size).toBe(28);
    const times = items.map((c) => Date.parse(c.occurredAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(items[0]!.subject).toBe('Update 24');
    expect(items.every((c) => c.customerId === alice)).toBe(true);
  });

  it("does not show other customers' messages", async () => {
    const res = (await h.call('GET', `/api/v1/customers/${bob}/communications`)).json();
    expect(res.data.map((c: Hit) => c.id)).toEqual([ids.zhShipping, ids.zhRefund]);
    expect(res.next_cursor).toBeNull();
  });

  it('is 404 for an unknown customer', async () => {
    const res = await h.call('GET', '/api/v1/customers/5b0c6f8e-1c7a-4d1e-9a43-2f6f1c0b7e21/communications');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });
});

describe('searching communications', () => {
  const search = async (q: string, extra = '') => {
    const res = await h.call('GET', `/api/v1/communications/search?q=${encodeURIComponent(q)}${extra}`, { scope: 'read' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { data: Hit[]; next_cursor: string | null };
  };

  it('finds Chinese words inside unspaced Chinese text (退款 → 请尽快处理退款)', async () => {
    expect((await search('退款')).data.map((c) => c.id)).toEqual([ids.zhRefund]);
    expect((await search('客服')).data.map((c) => c.id)).toEqual([ids.zhShipping]);
    expect((await search('订单 退款')).data.map((c) => c.id)).toEqual([ids.zhRefund]);
    expect((await search('优惠券')).data).toEqual([]);
  });

  it('stems English ("refunds" finds "refund" and "refunded"), best match first', async () => {
    const hits = (await search('refunds')).data;
    expect(hits.map((c) => c.id).sort()).toEqual([ids.enRefund, ids.enRefunded].sort());
    expect(hits[0]!.id).toBe(ids.enRefunded);
    expect(hits[0]!.rank).toBeGreaterThan(hits[1]!.rank);
    expect((await search('thank')).data.map((c) => c.id)).toEqual([ids.enOther]);
  });

  it('supports web-search syntax and filters by customer and channel', async () => {
    expect((await search('refund -invoice')).data.map((c) => c.id)).toEqual([ids.enRefunded]);
    expect((await search('refund', `&customer=${alice}`)).data.map((c) => c.id)).toEqual([ids.enRefund]);
    expect((await search('refund', '&channel=slack')).data.map((c) => c.id)).toEqual([ids.enRefunded]);
  });

  it('pages ranked results without duplicates or gaps', async () => {
    const { items, pages } = await allPages<Hit>(h, `/api/v1/communications/search?q=${encodeURIComponent('weekly note')}&limit=3`);
    expect(items).toHaveLength(25);
    expect(pages).toBe(9);
    expect(new Set(items.map((c) => c.id)).size).toBe(25);
    const ranks = items.map((c) => c.rank);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
  });

  it('answers 400 without a query, and an empty page for punctuation only', async () => {
    const res = await h.call('GET', '/api/v1/communications/search', { scope: 'read' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0].field).toBe('querystring.q');
    expect((await search('!!! ，。')).data).toEqual([]);
  });

  it('gets one communication by id, 404 when unknown', async () => {
    const res = await h.call('GET', `/api/v1/communications/${ids.zhRefund}`, { scope: 'read' });
    expect(res.json()).toMatchObject({ id: ids.zhRefund, text: '请尽快处理退款', subject: '订单问题', direction: 'inbound', fullText: null });
    expect((await h.call('GET', '/api/v1/communications/5b0c6f8e-1c7a-4d1e-9a43-2f6f1c0b7e21')).statusCode).toBe(404);
  });
});
