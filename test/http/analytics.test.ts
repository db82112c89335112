// The analytics endpoints of /api/v1 on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSegments } from '../../src/analytics-runner/segments-run.js';
import { trainVectors } from '../../src/analytics-runner/similar.js';
import { trainValue } from '../../src/analytics-runner/value-train.js';
import { captureAllOf } from '../helpers/capture.js';
import { normalizeCustomer } from '../../src/core/customers.js';
import { upsertCustomer } from '../../src/store/customers-repo.js';
import { upsertOrder } from '../../src/store/orders-repo.js';
import { email } from '../capture/helpers.js';
import { apiHarness, type ApiHarness } from './api-harness.js';

let h: ApiHarness;
const ids: string[] = [];

beforeAll(async () => {
  h = await apiHarness();
  const db = h.ctx.database.db;
  // 20 customers: 10 big buyers and 10 small ones (a value model needs 10 labels per tier).
  for (let i = 0; i < 20; i++) {
    const { id } = await upsertCustomer(db, normalizeCustomer({ name: `Api ${i}`, emails: [`a${i}@api${i}.example`] }, { defaultRegion: 'CN' }));
    ids.push(id);
    for (let o = 0; o < (i < 10 ? 8 : 1); o++) {
      await upsertOrder(db, { customerId: id, externalId: `api-${i}-${o}`, amount: i < 10 ? '1200.00' : '20.00', currency: 'CNY', status: 'paid', orderedAt: new Date(Date.now() - (o + 2) * 86_400_000) });
    }
  }
  const texts = ['The refund request is still pending.', 'Another refund request, please help.', '发货延迟好几天了。', '又是发货延迟。'];
  const messages = [];
  for (let i = 0; i < 20; i += 2) {
    for (const text of texts) messages.push(email(`a${i}@api${i}.example`, { text, occurredAt: new Date(Date.now() - 86_400_000) }));
  }
  await captureAllOf(h.ctx)(messages);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('/api/v1 analytics', () => {
  it('answers 404 before segments exist and 400 for a similar query without text', async () => {
    expect((await h.call('GET', '/api/v1/segments', { scope: 'read' })).statusCode).toBe(404);
    expect((await h.call('GET', '/api/v1/similar', { scope: 'read' })).statusCode).toBe(400);
    expect((await h.call('GET', '/api/v1/keywords', { scope: null })).statusCode).toBe(401);
  });

  it('shows segment, value tier with its explanation, and keywords of a customer', async () => {
    await runSegments(h.ctx, { k: 2 });
    const trained = await trainValue(h.ctx, { labelsCsv: ['customer,tier', ...ids.map((id, i) => `${id},${i < 10 ? 'high' : 'low'}`)].join('\n'), folds: 2 });
    expect(trained.promoted).toBe(true);
    const seg = await h.call('GET', '/api/v1/segments', { scope: 'read' });
    expect(seg.statusCode).toBe(200);
    expect(seg.json().segments.map((s: { size: number }) => s.size).sort()).toEqual([10, 10]);
    expect(seg.json().segments[0].traits.length).toBeGreaterThan(0);
    const r = await h.call('GET', `/api/v1/customers/${ids[0]}/analytics`, { scope: 'read' });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.valueTier.tier).toBe('high');
    expect(body.valueExplanation.text).toMatch(/→ high$/);
    expect(body.valueExplanation.textZh).toMatch(/→ 高价值$/);
    expect(body.segment.en).toMatch(/high value/);
    expect(body.keywords).toEqual(expect.arrayContaining(['refund request', '发货 延迟']));
    expect((await h.call('GET', '/api/v1/customers/00000000-0000-0000-0000-000000000000/analytics', { scope: 'read' })).statusCode).toBe(404);
  });

  it('gives keywords and trending terms, and similar communications', async () => {
    const kw = await h.call('GET', '/api/v1/keywords?limit=3', { scope: 'read' });
    expect(kw.json().keywords.map((k: { term: string }) => k.term)).toEqual(expect.arrayContaining(['refund request']));
    const tr = await h.call('GET', '/api/v1/keywords?trending=7d', { scope: 'read' });
    expect(tr.statusCode).toBe(200);
    expect((await h.call('GET', '/api/v1/keywords?trending=soon', { scope: 'read' })).statusCode).toBe(400);
    await trainVectors(h.ctx, { epochs: 10 });
    const s = await h.call('GET', `/api/v1/similar?text=${encodeURIComponent('发货延迟')}`, { scope: 'read' });
    expect(s.statusCode).toBe(200);
    expect(s.json().results[0].snippet).toMatch(/发货延迟/);
  });
});
