import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../../src/store/schema/index.js';
import { allPages, apiHarness, type ApiHarness } from './api-harness.js';

let h: ApiHarness;
type C = { id: string; name: string; tags: string[]; owner: string | null; company: { name: string } | null; emails: string[] };

beforeAll(async () => {
  h = await apiHarness();
  const people: Record<string, unknown>[] = [];
  for (let i = 0; i < 57; i++) {
    people.push({
      name: `Person ${String(i).padStart(2, '0')}`,
      emails: [`person${i}@${i % 3 === 0 ? 'globex.com' : 'initech.cn'}`],
      company: i % 3 === 0 ? 'Globex' : 'Initech 软件',
      tags: i % 5 === 0 ? ['vip'] : ['trial'],
      owner: i % 2 === 0 ? 'alice' : 'bob',
    });
  }
  people.push({ name: '李雷', emails: ['lilei@example.cn'], tags: ['vip'], owner: 'alice' });
  people.push({ name: 'Percent 100%_done', emails: ['pct@example.com'] });
  for (const body of people) {
    const res = await h.call('POST', '/api/v1/customers', { body });
    if (res.statusCode !== 201) throw new Error(res.body);
  }
  // Rows that share one created_at to the microsecond: only the id breaks the tie.
  await h.database.db.update(customers).set({ createdAt: sql`'2024-05-01T08:00:00.123456Z'::timestamptz` }).where(sql`${customers.name} like 'Person 1%'`);
});
afterAll(async () => h?.close());

describe('listing customers', () => {
  it('pages through everyone with no duplicates and no gaps, newest first', async () => {
    const { items, pages } = await allPages<C>(h, '/api/v1/customers?limit=7');
    expect(items).toHaveLength(59);
    expect(new Set(items.map((c) => c.id)).size).toBe(59);
    expect(pages).toBe(9);
    const all = (await h.call('GET', '/api/v1/customers?limit=200', { scope: 'read' })).json();
    expect(all.next_cursor).toBeNull();
    expect(all.data.map((c: C) => c.id)).toEqual(items.map((c) => c.id));
    const created = all.data.map((c: { createdAt: string }) => Date.parse(c.createdAt));
    expect([...created].sort((a, b) => b - a)).toEqual(created);
  });

  it('pages through rows sharing a timestamp with page size 1', async () => {
    const { items } = await allPages<C>(h, `/api/v1/customers?limit=1&q=${encodeURIComponent('person 1')}`);
    expect(items.map((c) => c.name).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `Person 1${i}`));
  });

  it('defaults to 50 per page and refuses more than 200', async () => {
    const first = (await h.call('GET', '/api/v1/customers', { scope: 'read' })).json();
    expect(first.data).toHaveLength(50);
    expect(first.next_cursor).toEqual(expect.any(String));
    for (const q of ['limit=201', 'limit=0', 'limit=abc']) {
      const res = await h.call('GET', `/api/v1/customers?${q}`, { scope: 'read' });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.details.fields[0].field).toBe('querystring.limit');
    }
  });

  it('answers 400 for a cursor it did not make', async () => {
    for (const cursor of ['garbage', Buffer.from('["x","y"]').toString('base64url'), Buffer.from('{}').toString('base64url')]) {
      const res = await h.call('GET', `/api/v1/customers?cursor=${cursor}`, { scope: 'read' });
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation', details: { fields: [{ field: 'cursor' }] } });
    }
  });

  it('filters by text over name, email and company name, case-insensitively', async () => {
    const byName = (await h.call('GET', '/api/v1/customers?q=person%2042')).json().data as C[];
    expect(byName.map((c) => c.name)).toEqual(['Person 42']);
    const byEmail = (await h.call('GET', '/api/v1/customers?q=PERSON7@INITECH')).json().data as C[];
    expect(byEmail.map((c) => c.emails[0])).toEqual(['person7@initech.cn']);
    const byCompany = await allPages<C>(h, `/api/v1/customers?limit=50&q=${encodeURIComponent('软件')}`);
    expect(byCompany.items).toHaveLength(38);
    expect(byCompany.items.every((c) => c.company?.name === 'Initech 软件')).toBe(true);
    const chinese = (await h.call('GET', `/api/v1/customers?q=${encodeURIComponent('李')}`)).json().data as C[];
    expect(chinese.map((c) => c.name)).toEqual(['李雷']);
  });

  it('treats % and _ in the text literally', async () => {
    const res = (await h.call('GET', `/api/v1/customers?q=${encodeURIComponent('100%_')}`)).json().data as C[];
    expect(res.map((c) => c.name)).toEqual(['Percent 100%_done']);
    expect((await h.call('GET', `/api/v1/customers?q=${encodeURIComponent('%')}`)).json().data).toHaveLength(1);
  });

  it('filters by tag, company (name or id) and owner, combined with AND', async () => {
    const vip = await allPages<C>(h, '/api/v1/customers?tag=vip');
    expect(vip.items).toHaveLength(13);
    expect(vip.items.every((c) => c.tags.includes('vip'))).toBe(true);

    const globex = await allPages<C>(h, '/api/v1/customers?company=globex');
    expect(globex.items).toHaveLength(19);
    const companyId = (globex.items[0]!.company as unknown as { id: string }).id;
    const byId = await allPages<C>(h, `/api/v1/customers?company=${companyId}`);
    expect(byId.items.map((c) => c.id)).toEqual(globex.items.map((c) => c.id));

    const combined = await allPages<C>(h, '/api/v1/customers?company=Globex&tag=vip&owner=alice');
    // i % 3 == 0, i % 5 == 0, i even → i in {0, 30}
    expect(combined.items.map((c) => c.name).sort()).toEqual(['Person 00', 'Person 30']);
    expect((await h.call('GET', '/api/v1/customers?owner=nobody')).json()).toEqual({ data: [], next_cursor: null });
  });
});
