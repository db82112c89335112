// Requests per minute per API token, per webhook source and per Slack workspace, each set tiny
// here through its variable: the next request gets 429 `rate_limited` with Retry-After, other
// tokens, sources and workspaces go on. API answers are never sniffed or cached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { build, type App } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { secretBoxFor } from '../../src/secret-key.js';
import { createToken } from '../../src/store/tokens-repo.js';
import { createWebhookSource } from '../../src/store/webhook-sources-repo.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';
import { signingSecret, slashCommand } from '../helpers/slack-requests.js';
import { signedPost } from '../webhook/signed-post.js';

let database: TestDatabase;
let ctx: AppContext;
let app: App;
let standIn: SlackStandIn;

beforeAll(async () => {
  standIn = await SlackStandIn.start();
  database = await createTestDatabase();
  ctx = await createContext(
    loadConfig({
      RAPPORT_RATE_LIMIT_API: '3',
      RAPPORT_RATE_LIMIT_WEBHOOK: '2',
      RAPPORT_RATE_LIMIT_SLACK: '2',
      RAPPORT_SECRET_KEY: 'test-key-for-sealed-secrets',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: standIn.apiUrl,
      RAPPORT_JOBS: 'off',
    }),
    createLogger('silent'),
    database,
  );
  app = await build({ ctx, logRequests: false });
});
afterAll(async () => {
  await app?.close();
  await ctx?.close();
  await standIn?.close();
});

const get = (token: string, url = '/api/v1/customers') => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

describe('rate limits', () => {
  it('answers 429 with Retry-After to the token over its limit, and not to another token', async () => {
    const one = (await createToken(ctx.database.db, { name: 'one', scope: 'read' })).token;
    const two = (await createToken(ctx.database.db, { name: 'two', scope: 'read' })).token;
    for (let i = 0; i < 3; i++) expect((await get(one)).statusCode).toBe(200);
    const limited = await get(one, '/api/v1/companies');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.json()).toMatchObject({ error: { code: 'rate_limited', details: { limit: 3 } } });
    expect(limited.headers['x-content-type-options']).toBe('nosniff');
    expect((await get(two)).statusCode).toBe(200);
  });

  it('never counts requests without a valid token against a token', async () => {
    const fresh = (await createToken(ctx.database.db, { name: 'fresh', scope: 'read' })).token;
    for (let i = 0; i < 5; i++) expect((await get('rpt_not-a-token')).statusCode).toBe(401);
    expect((await get(fresh)).statusCode).toBe(200);
  });

  it('limits each webhook source on its own', async () => {
    const scope = { configured: [], box: secretBoxFor(ctx.config, ctx.database) };
    const a = (await createWebhookSource(ctx.database.db, scope, { name: 'busy', preset: 'generic', secret: 'whsec_busy_secret_00000001' })).secret;
    const b = (await createWebhookSource(ctx.database.db, scope, { name: 'quiet', preset: 'generic', secret: 'whsec_quiet_secret_0000001' })).secret;
    const body = (id: string) => JSON.stringify({ id, from: { email: 'someone@example.com' }, text: 'hello' });
    expect((await signedPost(app, { source: 'busy', secret: a, body: body('1') })).statusCode).toBe(202);
    expect((await signedPost(app, { source: 'busy', secret: a, body: body('2') })).statusCode).toBe(202);
    const limited = await signedPost(app, { source: 'busy', secret: a, body: body('3') });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect((await signedPost(app, { source: 'quiet', secret: b, body: body('1') })).statusCode).toBe(202);
  });

  it('limits each Slack workspace on its own', async () => {
    const help = (team: string) => app.inject(slashCommand('help', { team, responseUrl: standIn.responseUrl(team) }));
    expect((await help('T0BUSY')).statusCode).toBe(200);
    expect((await help('T0BUSY')).statusCode).toBe(200);
    const limited = await help('T0BUSY');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await help('T0QUIET')).statusCode).toBe(200);
  });

  it('marks API answers, errors included, as not to be sniffed or cached, and documents 429', async () => {
    for (const res of [await get('rpt_x'), await app.inject({ method: 'GET', url: '/api/v1/no-such-route' })]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.headers['cache-control']).toBeUndefined();
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(spec.paths['/api/v1/customers']!.get!.responses['429']).toBeDefined();
  });
});
