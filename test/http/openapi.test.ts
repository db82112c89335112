import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, type ApiHarness } from './api-harness.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await apiHarness();
});
afterAll(async () => h?.close());

describe('/openapi.json', () => {
  it('documents every API route with tags, summaries, bearer security and error responses', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    const expected: [string, string][] = [
      ['/api/v1/customers', 'get'], ['/api/v1/customers', 'post'], ['/api/v1/customers/{id}', 'get'],
      ['/api/v1/customers/{id}', 'patch'], ['/api/v1/customers/{id}', 'delete'], ['/api/v1/customers/{id}/communications', 'get'],
      ['/api/v1/customers/{id}/orders', 'get'], ['/api/v1/companies', 'get'], ['/api/v1/companies/{id}', 'get'],
      ['/api/v1/companies/{id}/customers', 'get'], ['/api/v1/orders', 'get'], ['/api/v1/orders', 'post'], ['/api/v1/orders/{id}', 'get'],
      ['/api/v1/communications/search', 'get'], ['/api/v1/communications/{id}', 'get'],
      ['/api/v1/tokens', 'get'], ['/api/v1/tokens', 'post'], ['/api/v1/tokens/{id}', 'delete'],
    ];
    for (const [path, method] of expected) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.tags.length, `${method} ${path} tags`).toBeGreaterThan(0);
      expect(op.summary).toEqual(expect.any(String));
      expect(op.description).toMatch(/Requires a token with scope `(read|write|admin)`/);
      expect(op.security).toEqual([{ bearer: [] }]);
      expect(op.responses['401'].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    }
    expect(doc.paths['/healthz']).toBeUndefined();
    for (const name of ['Customer', 'Company', 'Order', 'Communication', 'Error']) expect(doc.components.schemas[name], name).toBeDefined();
    const list = doc.paths['/api/v1/customers'].get;
    expect(list.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['company', 'cursor', 'limit', 'owner', 'q', 'tag']);
    expect(list.responses['200'].content['application/json'].schema.properties.next_cursor).toBeDefined();
  });
});
