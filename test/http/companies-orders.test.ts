import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPages, apiHarness, type ApiHarness } from './api-harness.js';

let h: ApiHarness;
let acme: { id: string; emails: string[] };
let zeta: { id: string };
type Order = { id: string; customerId: string; externalId: string; amount: string; currency: string; orderedAt: string };
type Company = { id: string; name: string; domains: string[]; customerCount: number };

beforeAll(async () => {
  h = await apiHarness();
  acme = (await h.call('POST', '/api/v1/customers', { body: { name: 'Wile', emails: ['wile@acme.com'], company: 'ACME', domains: ['acme.com'], externalId: 'C-1' } })).json();
  zeta = (await h.call('POST', '/api/v1/customers', { body: { name: 'Zed', company: 'Zeta 科技', domains: ['zeta.cn'] } })).json();
  await h.call('POST', '/api/v1/customers', { body: { name: 'Road Runner', company: 'acme' } });
  for (let i = 0; i < 12; i++) await h.call('POST', '/api/v1/customers', { body: { name: `Filler ${i}`, company: `Company ${String(i).padStart(2, '0')}` } });
});
afterAll(async () => h?.close());

describe('companies', () => {
  it('lists companies by name with customer counts, paginated without gaps', async () => {
    const { items, pages } = await allPages<Company>(h, '/api/v1/companies?limit=5');
    expect(pages).toBe(3);
    expect(items).toHaveLength(14);
    expect(new Set(items.map((c) => c.id)).size).toBe(14);
    const acmeCo = items.find((c) => c.name === 'ACME')!;
    expect(acmeCo).toMatchObject({ domains: ['acme.com'], customerCount: 2 });
  });

  it('filters by part of the name or by a domain', async () => {
    expect((await h.call('GET', `/api/v1/companies?q=${encodeURIComponent('科技')}`)).json().data.map((c: Company) => c.name)).toEqual(['Zeta 科技']);
    expect((await h.call('GET', '/api/v1/companies?q=zeta.cn')).json().data.map((c: Company) => c.name)).toEqual(['Zeta 科技']);
  });

  it("gets a company and its customers; 404 when unknown", async () => {
    const acmeCo = (await h.call('GET', '/api/v1/companies?q=acme')).json().data[0] as Company;
    const got = await h.call('GET', `/api/v1/companies/${acmeCo.id}`);
    expect(got.json()).toMatchObject({ id: acmeCo.id, name: 'ACME', customerCount: 2 });
    const people = (await h.call('GET', `/api/v1/companies/${acmeCo.id}/customers`)).json();
    expect(people.data.map((c: { name: string }) => c.name).sort()).toEqual(['Road Runner', 'Wile']);
    expect((await h.call('GET', '/api/v1/companies/5b0c6f8e-1c7a-4d1e-9a43-2f6f1c0b7e21')).statusCode).toBe(404);
    expect((await h.call('GET', '/api/v1/companies/5b0c6f8e-1c7a-4d1e-9a43-2f6f1c0b7e21/customers')).statusCode).toBe(404);
  });
});

describe('orders', () => {
  it('creates orders for a customer named by id, email or external id, keeping the amount exact', async () => {
    const make = (customer: string, externalId: string, amount: number | string, orderedAt: string) =>
      h.call('POST', '/api/v1/orders', { body: { customer, externalId, amount, currency: 'cny', status: 'paid', orderedAt } });
    const a = await make(acme.id, 'O-1', 1299.5, '2025-01-02T03:04:05+08:00');
    expect(a.statusCode).toBe(201);
    expect(a.json()).toMatchObject({ customerId: acme.id, externalId: 'O-1', amount: '1299.50', currency: 'CNY', orderedAt: '2025-01-01T19:04:05.000Z' });
    expect(a.headers.location).toBe(`/api/v1/orders/${a.json().id}`);
    expect((await make('WILE@acme.com', 'O-2', '0.10', '2025-02-01T00:00:00Z')).json().customerId).toBe(acme.id);
    expect((await make('C-1', 'O-3', '99999999999.99', '2025-03-01T00:00:00Z')).json().amount).toBe('99999999999.99');
    expect((await make(zeta.id, 'Z-1', 5, '2025-01-15T00:00:00Z')).statusCode).toBe(201);
  });

  it('refuses a duplicate external id with 409, an unknown customer and bad values with 400', async () => {
    const dup = await h.call('POST', '/api/v1/orders', { body: { customer: acme.id, externalId: 'O-1', amount: 1, currency: 'USD', status: 'paid', orderedAt: '2025-01-01T00:00:00Z' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('conflict');
    const unknown = await h.call('POST', '/api/v1/orders', { body: { customer: 'nobody@nowhere.io', externalId: 'X-1', amount: 1, currency: 'USD', status: 'paid', orderedAt: '2025-01-01T00:00:00Z' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details.fields).toEqual([{ field: 'body.customer', message: expect.any(String) }]);
    const bad = await h.call('POST', '/api/v1/orders', { body: { customer: acme.id, externalId: 'X-2', amount: '12.345', currency: 'dollars', status: '', orderedAt: 'yesterday' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['body.amount', 'body.currency', 'body.orderedAt', 'body.status']);
  });

  it("lists a customer's orders newest first, and all orders filtered by customer", async () => {
    const mine = (await h.call('GET', `/api/v1/customers/${acme.id}/orders`)).json().data as Order[];
    expect(mine.map((o) => o.externalId)).toEqual(['O-3', 'O-2', 'O-1']);
    const filtered = await allPages<Order>(h, `/api/v1/orders?customer=${acme.id}&limit=1`);
    expect(filtered.items.map((o) => o.externalId)).toEqual(['O-3', 'O-2', 'O-1']);
    expect((await h.call('GET', '/api/v1/orders?customer=wile@acme.com')).json().data).toHaveLength(3);
    expect((await h.call('GET', '/api/v1/orders?customer=ghost@acme.com')).json()).toEqual({ data: [], next_cursor: null });
    const all = (await h.call('GET', '/api/v1/orders')).json().data as Order[];
    expect(all.map((o) => o.externalId)).toEqual(['O-3', 'O-2', 'Z-1', 'O-1']);
    const one = await h.call('GET', `/api/v1/orders/${all[0]!.id}`);
    expect(one.json()).toEqual(all[0]);
    expect((await h.call('GET', `/api/v1/customers/5b0c6f8e-1c7a-4d1e-9a43-2f6f1c0b7e21/orders`)).statusCode).toBe(404);
  });
});
