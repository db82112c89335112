import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, insertCommunication, type ApiHarness } from './api-harness.js';

describe('/api/v1/digests', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await apiHarness({ RAPPORT_TIMEZONE: 'Asia/Shanghai' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('subscribes, updates the same subscription, lists and removes it', async () => {
    const created = await h.call('POST', '/api/v1/digests/subscriptions', { body: { slack: '#support', at: '9:00' } });
    expect(created.statusCode).toBe(201);
    const sub = created.json();
    expect(sub).toMatchObject({ targetKind: 'slack', target: '#support', at: '09:00', timeZone: 'Asia/Shanghai', owner: null });
    const again = await h.call('POST', '/api/v1/digests/subscriptions', { body: { slack: '#support', at: '18:30', tz: 'Europe/Berlin' } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: sub.id, at: '18:30', timeZone: 'Europe/Berlin' });
    const list = await h.call('GET', '/api/v1/digests/subscriptions', { scope: 'read' });
    expect(list.json().data.map((s: { id: string }) => s.id)).toEqual([sub.id]);
    expect((await h.call('DELETE', `/api/v1/digests/subscriptions/${sub.id}`)).statusCode).toBe(204);
    expect((await h.call('DELETE', `/api/v1/digests/subscriptions/${sub.id}`)).statusCode).toBe(404);
  });

  it('refuses a bad subscription with field details, and a read token', async () => {
    const bad = await h.call('POST', '/api/v1/digests/subscriptions', { body: { slack: '#a', email: 'x@y.example', at: '25:00', tz: 'Mars/Olympus' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['at', 'target', 'tz']);
    expect((await h.call('POST', '/api/v1/digests/subscriptions', { scope: 'read', body: { email: 'team@example.com' } })).statusCode).toBe(403);
  });

  it('previews what a digest says now', async () => {
    await insertCommunication(h.database, { text: '订单什么时候发货？', occurredAt: new Date(Date.now() - 3_600_000), channel: 'webhook' });
    const r = await h.call('GET', '/api/v1/digests/preview?tz=Asia/Shanghai', { scope: 'read' });
    expect(r.statusCode).toBe(200);
    expect(r.json().newByChannel).toEqual([expect.objectContaining({ channel: 'webhook', count: 1 })]);
  });
});
