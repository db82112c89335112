import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, type ApiHarness } from './api-harness.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await apiHarness();
});
afterAll(async () => h?.close());

const fields = (res: { json(): unknown }) => ((res.json() as { error: { details: { fields: { field: string; message: string }[] } } }).error.details.fields);

describe('customers API', () => {
  it('creates a customer with normalized identities and reads it back', async () => {
    const res = await h.call('POST', '/api/v1/customers', {
      body: {
        name: ' 王小明 ',
        emails: ['Xiaoming.Wang@Acme.CN'],
        phones: ['138 0013 8000'],
        company: 'Acme 中国',
        domains: ['acme.cn', 'qq.com'],
        tags: ['vip', 'vip', 'beta'],
        owner: 'alice@ourco.com',
        externalId: 'CRM-1',
        attributes: { plan: 'pro' },
      },
    });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(res.headers.location).toBe(`/api/v1/customers/${c.id}`);
    expect(c).toMatchObject({
      name: '王小明',
      emails: ['xiaoming.wang@acme.cn'],
      phones: ['+8613800138000'],
      company: { name: 'Acme 中国', domains: ['acme.cn'] },
      tags: ['vip', 'beta'],
      owner: 'alice@ourco.com',
      externalId: 'CRM-1',
      attributes: { plan: 'pro' },
    });
    expect(c.warnings).toEqual([expect.stringContaining('qq.com')]);

    const got = await h.call('GET', `/api/v1/customers/${c.id}`, { scope: 'read' });
    expect(got.statusCode).toBe(200);
    const { warnings: _warnings, ...stored } = c;
    expect(got.json()).toEqual(stored);
  });

  it('answers 400 with every bad field, and writes nothing', async () => {
    const res = await h.call('POST', '/api/v1/customers', { body: { name: 'Bad', emails: ['not-an-email'], phones: ['12'] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation');
    expect(fields(res).map((f) => f.field).sort()).toEqual(['body.emails', 'body.phones']);
    const list = await h.call('GET', '/api/v1/customers?q=Bad', { scope: 'read' });
    expect(list.json().data).toEqual([]);
  });

  it('answers 400 with field paths for schema violations', async () => {
    const res = await h.call('POST', '/api/v1/customers', { body: { emails: 'a@b.com', tags: [1], surprise: true } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('validation');
    const names = fields(res).map((f) => f.field);
    expect(names).toEqual(expect.arrayContaining(['body.name', 'body.emails', 'body.tags.0']));
    expect(fields(res).every((f) => typeof f.message === 'string' && f.message.length > 0)).toBe(true);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { authorization: `Bearer ${h.tokens.write}`, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation');
  });

  it('answers 409 when an email already belongs to another customer', async () => {
    const a = await h.call('POST', '/api/v1/customers', { body: { name: 'First', emails: ['dup@example.org'] } });
    expect(a.statusCode).toBe(201);
    const b = await h.call('POST', '/api/v1/customers', { body: { name: 'Second', emails: ['DUP@example.org'], company: 'Should Not Exist Co' } });
    expect(b.statusCode).toBe(409);
    expect(b.json().error).toMatchObject({ code: 'conflict', message: expect.stringContaining('dup@example.org') });
    const companies = await h.call('GET', '/api/v1/companies?q=Should%20Not', { scope: 'read' });
    expect(companies.json().data).toEqual([]);
  });

  it('answers 413 for a body over 1 MB', async () => {
    const res = await h.call('POST', '/api/v1/customers', { body: { name: 'Big', attributes: { blob: 'x'.repeat(1024 * 1024 + 10) } } });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: { code: 'payload_too_large', message: expect.any(String) } });
  });

  it('answers 404 in the error shape for unknown and malformed ids', async () => {
    for (const id of ['0b7e5a8e-5d2c-4c59-9a7e-1e5a3c9d0f11', 'nope']) {
      for (const [method, body] of [['GET'], ['PATCH', { name: 'x' }], ['DELETE']] as const) {
        const res = await h.call(method, `/api/v1/customers/${id}`, { body });
        expect(res.statusCode, `${method} ${id}`).toBe(404);
        expect(res.json().error.code).toBe('not_found');
      }
    }
  });

  it('updates with PATCH: given fields replace, null clears, attributes merge', async () => {
    const created = (
      await h.call('POST', '/api/v1/customers', {
        body: { name: 'Patchy', emails: ['p1@patch.io', 'p2@patch.io'], tags: ['a'], owner: 'bob', company: 'Patch Inc', attributes: { x: 1, y: 2 } },
      })
    ).json();
    const res = await h.call('PATCH', `/api/v1/customers/${created.id}`, {
      body: { emails: ['p2@patch.io', 'p3@patch.io'], tags: ['b', 'c'], owner: null, attributes: { y: null, z: 3 }, domains: ['patch.io'] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: 'Patchy',
      emails: ['p2@patch.io', 'p3@patch.io'],
      tags: ['b', 'c'],
      owner: null,
      attributes: { x: 1, z: 3 },
      company: { name: 'Patch Inc', domains: ['patch.io'] },
    });
    expect(Date.parse(res.json().updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
    // The released address can be used by someone else now.
    expect((await h.call('POST', '/api/v1/customers', { body: { name: 'Other', emails: ['p1@patch.io'] } })).statusCode).toBe(201);

    const cleared = await h.call('PATCH', `/api/v1/customers/${created.id}`, { body: { company: null, name: 'Renamed' } });
    expect(cleared.json()).toMatchObject({ name: 'Renamed', company: null });
  });

  it('refuses a PATCH that takes another customer\'s email, changing nothing', async () => {
    const a = (await h.call('POST', '/api/v1/customers', { body: { name: 'Ann', emails: ['ann@x.io'] } })).json();
    const b = (await h.call('POST', '/api/v1/customers', { body: { name: 'Ben', emails: ['ben@x.io'] } })).json();
    const res = await h.call('PATCH', `/api/v1/customers/${b.id}`, { body: { name: 'Ben 2', emails: ['ann@x.io'] } });
    expect(res.statusCode).toBe(409);
    const after = (await h.call('GET', `/api/v1/customers/${b.id}`)).json();
    expect(after).toMatchObject({ name: 'Ben', emails: ['ben@x.io'] });
    expect((await h.call('GET', `/api/v1/customers/${a.id}`)).json().emails).toEqual(['ann@x.io']);
  });

  it('rejects an empty name and invalid values on PATCH with field details', async () => {
    const c = (await h.call('POST', '/api/v1/customers', { body: { name: 'Valid' } })).json();
    const res = await h.call('PATCH', `/api/v1/customers/${c.id}`, { body: { name: '', phones: ['abc'] } });
    expect(res.statusCode).toBe(400);
    expect(fields(res).map((f) => f.field)).toContain('body.name');
  });

  it('soft-deletes: the customer disappears from reads and lists, a second delete is 404', async () => {
    const c = (await h.call('POST', '/api/v1/customers', { body: { name: 'Gone Soon', tags: ['to-delete'] } })).json();
    expect((await h.call('DELETE', `/api/v1/customers/${c.id}`)).statusCode).toBe(204);
    expect((await h.call('GET', `/api/v1/customers/${c.id}`)).statusCode).toBe(404);
    expect((await h.call('GET', '/api/v1/customers?tag=to-delete')).json().data).toEqual([]);
    expect((await h.call('DELETE', `/api/v1/customers/${c.id}`)).statusCode).toBe(404);
    expect((await h.call('GET', `/api/v1/customers/${c.id}/communications`)).statusCode).toBe(404);
  });

  it('releases a deleted customer\'s identities, so the same email can start a new customer', async () => {
    const old = (await h.call('POST', '/api/v1/customers', { body: { name: 'Old', emails: ['again@example.org'], externalId: 'EXT-AGAIN' } })).json();
    expect((await h.call('DELETE', `/api/v1/customers/${old.id}`)).statusCode).toBe(204);
    const fresh = await h.call('POST', '/api/v1/customers', { body: { name: 'New', emails: ['again@example.org'], externalId: 'EXT-AGAIN' } });
    expect(fresh.statusCode).toBe(201);
    expect(fresh.json().id).not.toBe(old.id);
  });
});

describe('customers API under concurrency', () => {
  it('creates exactly one customer when the same email is posted at once, the rest are 409', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => h.call('POST', '/api/v1/customers', { body: { name: `Racer ${i}`, emails: ['race@example.org'] } })),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().error.code).toBe('conflict');
    expect((await h.call('GET', '/api/v1/customers?q=race@example.org')).json().data).toHaveLength(1);
  });
});
