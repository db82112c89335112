import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens } from '../../src/store/schema/index.js';
import { createToken, hashToken, revokeToken, verifyToken } from '../../src/store/tokens-repo.js';
import { apiHarness, type ApiHarness } from './api-harness.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await apiHarness();
});
afterAll(async () => h?.close());

const scopes = ['read', 'write', 'admin'] as const;

/** Every /api/v1 operation in the OpenAPI document, with the scope it declares. */
async function operations() {
  const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, { description?: string }>>;
  };
  const ops: { method: string; url: string; scope: (typeof scopes)[number] }[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/v1/')) continue;
    for (const [method, op] of Object.entries(methods)) {
      const scope = /scope `(\w+)`/.exec(op.description ?? '')?.[1] as (typeof scopes)[number];
      ops.push({ method: method.toUpperCase(), url: path.replace(/\{id\}/g, '5b0c6f8e-1c7a-4d1e-9a43-2f6f1c0b7e21'), scope });
    }
  }
  return ops;
}

describe('API tokens and scopes', () => {
  it('refuses every /api/v1 route without a token (401), with the error shape and a Bearer challenge', async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThanOrEqual(15);
    for (const op of ops) {
      const res = await h.call(op.method, op.url, { scope: null, body: op.method === 'GET' || op.method === 'DELETE' ? undefined : {} });
      expect(res.statusCode, `${op.method} ${op.url}`).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="rapport"/);
    }
  });

  it('enforces read < write < admin on every route: below the scope is 403, at or above passes auth', async () => {
    const ops = await operations();
    const counts = { read: 0, write: 0, admin: 0 };
    for (const op of ops) {
      expect(scopes, `${op.method} ${op.url} declares a scope`).toContain(op.scope);
      counts[op.scope] += 1;
      for (const scope of scopes) {
        const res = await h.call(op.method, op.url, { scope, body: op.method === 'GET' || op.method === 'DELETE' ? undefined : {} });
        const allowed = scopes.indexOf(scope) >= scopes.indexOf(op.scope);
        if (allowed) {
          expect([401, 403], `${op.method} ${op.url} with ${scope}`).not.toContain(res.statusCode);
        } else {
          expect(res.statusCode, `${op.method} ${op.url} with ${scope}`).toBe(403);
          expect(res.json().error).toMatchObject({ code: 'forbidden', details: { required: op.scope, granted: scope } });
          expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"');
        }
      }
    }
    expect(counts.read).toBeGreaterThan(0);
    expect(counts.write).toBeGreaterThan(0);
    expect(counts.admin).toBeGreaterThan(0);
  });

  it('a read token cannot create, update or delete a customer, and nothing changes', async () => {
    const c = (await h.call('POST', '/api/v1/customers', { body: { name: 'Guarded' } })).json();
    expect((await h.call('POST', '/api/v1/customers', { scope: 'read', body: { name: 'Sneaky' } })).statusCode).toBe(403);
    expect((await h.call('PATCH', `/api/v1/customers/${c.id}`, { scope: 'read', body: { name: 'Changed' } })).statusCode).toBe(403);
    expect((await h.call('DELETE', `/api/v1/customers/${c.id}`, { scope: 'read' })).statusCode).toBe(403);
    expect((await h.call('GET', `/api/v1/customers/${c.id}`, { scope: 'read' })).json().name).toBe('Guarded');
    expect((await h.call('GET', '/api/v1/customers?q=Sneaky', { scope: 'read' })).json().data).toEqual([]);
  });

  it('refuses malformed, unknown and revoked tokens with 401', async () => {
    const bad = ['Basic abc', 'Bearer', 'Bearer rpt_unknown', `Bearer ${h.tokens.read}x`, `bearer  ${h.tokens.read.slice(0, -1)}`];
    for (const authorization of bad) {
      const res = await h.app.inject({ method: 'GET', url: '/api/v1/customers', headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
    const t = await createToken(h.database.db, { name: 'short-lived', scope: 'admin' });
    expect((await h.call('GET', '/api/v1/customers', { token: t.token })).statusCode).toBe(200);
    expect((await h.call('DELETE', `/api/v1/tokens/${t.id}`, { scope: 'admin' })).json().revokedAt).not.toBeNull();
    const after = await h.call('GET', '/api/v1/customers', { token: t.token });
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('accepts the scheme case-insensitively', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/customers', headers: { authorization: `bearer ${h.tokens.read}` } });
    expect(res.statusCode).toBe(200);
  });

  it('leaves health, readiness and the OpenAPI document open', async () => {
    for (const url of ['/healthz', '/readyz', '/openapi.json']) {
      expect((await h.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
  });

  it('stores only a SHA-256 hash and a short prefix, and records last use', async () => {
    const t = await createToken(h.database.db, { name: 'audit', scope: 'read' });
    expect(t.token).toMatch(/^rpt_[A-Za-z0-9_-]{43}$/);
    const [row] = await h.database.db.select().from(apiTokens).where(eq(apiTokens.id, t.id));
    expect(row!.tokenHash).toBe(hashToken(t.token));
    expect(row!.tokenHash).not.toContain(t.token.slice(4));
    expect(row!.prefix).toBe(t.token.slice(0, 12));
    expect(row!.lastUsedAt).toBeNull();
    expect(await verifyToken(h.database.db, t.token)).toEqual({ id: t.id, name: 'audit', scope: 'read' });
    const [used] = await h.database.db.select().from(apiTokens).where(eq(apiTokens.id, t.id));
    expect(used!.lastUsedAt).toBeInstanceOf(Date);
    // Within a minute a second use does not write again.
    await verifyToken(h.database.db, t.token);
    const [again] = await h.database.db.select().from(apiTokens).where(eq(apiTokens.id, t.id));
    expect(again!.lastUsedAt!.getTime()).toBe(used!.lastUsedAt!.getTime());
  });

  it('revokes by id or by prefix; unknown is null; twice is harmless', async () => {
    const t = await createToken(h.database.db, { name: 'by-prefix', scope: 'write' });
    const first = await revokeToken(h.database.db, t.prefix);
    expect(first?.revokedAt).not.toBeNull();
    const second = await revokeToken(h.database.db, t.id);
    expect(second?.revokedAt).toBe(first?.revokedAt);
    expect(await revokeToken(h.database.db, '5b0c6f8e-1c7a-4d1e-9a43-2f6f1c0b7e21')).toBeNull();
    expect(await verifyToken(h.database.db, t.token)).toBeNull();
  });

  it('lets an admin token create and list tokens over the API, showing the secret once', async () => {
    const created = await h.call('POST', '/api/v1/tokens', { scope: 'admin', body: { name: 'ci', scope: 'read' } });
    expect(created.statusCode).toBe(201);
    const t = created.json();
    expect(t.token).toMatch(/^rpt_/);
    expect((await h.call('GET', '/api/v1/customers', { token: t.token })).statusCode).toBe(200);
    const list = (await h.call('GET', '/api/v1/tokens', { scope: 'admin' })).json().data as Record<string, unknown>[];
    const listed = list.find((x) => x.id === t.id);
    expect(listed).toMatchObject({ name: 'ci', scope: 'read', prefix: t.token.slice(0, 12) });
    expect(JSON.stringify(list)).not.toContain(t.token);
    const bad = await h.call('POST', '/api/v1/tokens', { scope: 'admin', body: { name: 'x', scope: 'root' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('body.scope');
  });
});
