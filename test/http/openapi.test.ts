import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { build } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { createTestDatabase } from '../helpers/database.js';
import { apiHarness, type ApiHarness } from './api-harness.js';

/**
 * Routes that are deliberately not in the OpenAPI document, each with its reason. Keep it short:
 * everything else a client can call must be described.
 */
const undocumented: Record<string, string> = {
  'POST /slack/events': "Slack's own signed protocol; its contract is slack-manifest.yml",
  'GET /assets/:name': "the console's own scripts, styles and fonts, served with the pages",
};

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
    expect(doc.paths['/healthz'].get.security).toEqual([]);
    for (const name of ['Customer', 'Company', 'Order', 'Communication', 'Error']) expect(doc.components.schemas[name], name).toBeDefined();
    const list = doc.paths['/api/v1/customers'].get;
    expect(list.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['company', 'cursor', 'limit', 'owner', 'q', 'tag']);
    expect(list.responses['200'].content['application/json'].schema.properties.next_cursor).toBeDefined();
  });
});

describe('every route Fastify registers', () => {
  it('is in /openapi.json with its error answers (500 and 503 everywhere; 401 and 403 behind a token)', async () => {
    const database = await createTestDatabase();
    // Slack configured, so its route exists too; every other route exists regardless.
    const config = loadConfig({ RAPPORT_JOBS: 'off', SLACK_BOT_TOKEN: 'xoxb-openapi', SLACK_SIGNING_SECRET: 'openapi-signing-secret', SLACK_ALLOWED_TEAM_IDS: 'T0OPENAPI' });
    const ctx = await createContext(config, createLogger('silent'), database);
    const routes: RouteOptions[] = [];
    const app = await build({ ctx, logRequests: false, onRoute: (r) => routes.push(r) });
    try {
      const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
      const seen = routes
        .flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).map((m) => ({ method: String(m), url: r.url })))
        // Fastify adds a HEAD route beside every GET; it answers like the GET.
        .filter((r) => r.method !== 'HEAD');
      expect(seen.length).toBeGreaterThan(30);
      const missing: string[] = [];
      for (const { method, url } of seen) {
        const key = `${method} ${url}`;
        if (undocumented[key]) continue;
        const path = url.replace(/:([A-Za-z]+)/g, '{$1}');
        const op = doc.paths[path]?.[method.toLowerCase()];
        if (!op) {
          missing.push(key);
          continue;
        }
        const statuses = Object.keys(op.responses);
        const want = ['500', '503', ...(path.startsWith('/api/v1/') ? ['401', '403'] : [])];
        for (const s of want) expect(statuses, `${key} answers ${s}`).toContain(s);
      }
      expect(missing).toEqual([]);
      // The exclusions name routes that exist: a stale entry is noticed.
      for (const key of Object.keys(undocumented)) expect(seen.map((r) => `${r.method} ${r.url}`)).toContain(key);

      const webhook = doc.paths['/webhooks/{source}'].post;
      expect(Object.keys(webhook.responses).sort()).toEqual(['202', '400', '401', '413', '415', '429', '500', '503']);
      expect(Object.keys(doc.paths['/readyz'].get.responses).sort()).toEqual(['200', '500', '503']);
    } finally {
      await app.close();
      await ctx.close();
    }
  });
});
