// Two instances of Rapport (two contexts and two HTTP apps on one database) sharing one Redis:
// Slack pacing and 429 pauses, rate-limit counters and customer cards are one for both. Each test
// file has a key prefix of its own on the machine's Redis.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackAdapter } from '../../adapters/slack/index.js';
import { channelsOf } from '../../src/channels/index.js';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { normalizeCustomer } from '../../src/core/customers.js';
import type { InboundMessage } from '../../src/core/inbound-message.js';
import { build, type App } from '../../src/http/app.js';
import { addUser } from '../../src/console/users.js';
import { eraseCustomerData } from '../../src/data-rights/erase.js';
import { createLogger } from '../../src/log.js';
import { secretBoxFor } from '../../src/secret-key.js';
import { upsertCustomer } from '../../src/store/customers-repo.js';
import { communications, slackUsers } from '../../src/store/schema/index.js';
import { createToken } from '../../src/store/tokens-repo.js';
import { createWebhookSource } from '../../src/store/webhook-sources-repo.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { dropKeys, keysUnder, redisUrl, uniquePrefix, until } from '../helpers/redis.js';
import { slackTestEnv, textOf } from '../helpers/slack-app.js';
import { eventCallback, slashCommand } from '../helpers/slack-requests.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';
import { signedPost } from '../webhook/signed-post.js';

interface Instance {
  ctx: AppContext;
  app: App;
  slack: SlackAdapter;
}

let database: TestDatabase;
let standIn: SlackStandIn;
const prefix = uniquePrefix('two');
let a: Instance;
let b: Instance;
let zhang: string;

async function instance(env: Record<string, string>): Promise<Instance> {
  const config = loadConfig({
    ...slackTestEnv(standIn),
    RAPPORT_JOBS: 'off',
    RAPPORT_SECRET_KEY: 'test-key-for-sealed-secrets',
    RAPPORT_RATE_LIMIT_API: '5',
    RAPPORT_RATE_LIMIT_WEBHOOK: '3',
    ...env,
  });
  // One database for both; each context closes only its own things.
  const shared = Object.assign(Object.create(database) as TestDatabase, { close: async () => {} });
  const ctx = await createContext(config, createLogger('silent'), shared);
  const app = await build({ ctx, logRequests: false });
  const slack = (await channelsOf(ctx).slack())!;
  return { ctx, app, slack };
}

const message = (id: string, text: string): InboundMessage => ({
  channel: 'email', externalId: `<${id}@acme.cn>`, threadHints: {}, from: { email: 'zhang.wei@acme.cn', name: '张伟' }, to: [{ email: 'support@ours.com' }],
  subject: `subject ${id}`, text, attachments: [], occurredAt: new Date(), flags: [],
});

const lookup = async (i: Instance, query: string) => {
  const res = await i.app.inject(slashCommand(`lookup ${query}`, { responseUrl: standIn.responseUrl(`r${Math.random()}`) }));
  expect(res.statusCode).toBe(200);
  return textOf(JSON.parse(res.body));
};

beforeAll(async () => {
  standIn = await SlackStandIn.start();
  database = await createTestDatabase();
  // Generous: on a loaded machine a 250 ms command timeout would send a test to the database now and then.
  const redis = { REDIS_URL: redisUrl, RAPPORT_REDIS_PREFIX: prefix, RAPPORT_REDIS_TIMEOUT_MS: '3000' };
  a = await instance(redis);
  b = await instance(redis);
  expect(await a.ctx.shared.redis!.whenReady(10_000)).toBe(true);
  expect(await b.ctx.shared.redis!.whenReady(10_000)).toBe(true);
  const n = normalizeCustomer({ name: '张伟', emails: ['zhang.wei@acme.cn'], company: 'Acme 科技', domains: ['acme.cn'] }, { defaultRegion: 'CN' });
  zhang = (await database.db.transaction((tx) => upsertCustomer(tx, n))).id;
});

afterAll(async () => {
  for (const i of [a, b]) {
    await i?.app.close();
    await i?.ctx.close();
  }
  await database?.close();
  await standIn?.close();
  await dropKeys(prefix);
});

const gaps = (ats: number[]) => ats.slice(1).map((t, i) => t - ats[i]!);

describe('Slack pacing shared by two instances', () => {
  it('keeps messages to one channel about a second apart across both, and other channels free', async () => {
    standIn.reset();
    const started = Date.now();
    await Promise.all([
      a.slack.api.postMessage('C0PACE', { text: 'a1' }),
      b.slack.api.postMessage('C0PACE', { text: 'b1' }),
      a.slack.api.postMessage('C0PACE', { text: 'a2' }),
      b.slack.api.postMessage('C0PACE', { text: 'b2' }),
      b.slack.api.postMessage('C0OTHER', { text: 'other' }),
    ]);
    const paced = standIn.callsOf('chat.postMessage').filter((c) => c.args.channel === 'C0PACE').map((c) => c.at);
    expect(paced).toHaveLength(4);
    // A turn starts a second after the message before it (either instance's) finished.
    for (const gap of gaps(paced)) expect(gap).toBeGreaterThanOrEqual(990);
    const other = standIn.callsOf('chat.postMessage').find((c) => c.args.channel === 'C0OTHER')!;
    expect(other.at - started).toBeLessThan(800);
  });

  it('makes every instance wait out a 429 that one of them got', async () => {
    standIn.reset();
    standIn.failNext('chat.postMessage', { status: 429, retryAfter: 2 });
    const first = a.slack.api.postMessage('C0BUSY', { text: 'first' });
    // Once A has heard the 429, B (another channel, never paced with A's) waits too.
    await until(async () => (await b.ctx.shared.slackPacer!.pausedFor()) > 0, 10_000, 'the shared pause');
    await b.slack.api.postMessage('C0CALM', { text: 'calm' });
    await first;
    const limited = standIn.callsOf('chat.postMessage')[0]!;
    expect(limited.args.channel).toBe('C0BUSY');
    const calm = standIn.callsOf('chat.postMessage').find((c) => c.args.channel === 'C0CALM')!;
    expect(calm.at - limited.at).toBeGreaterThanOrEqual(1800);
    expect(standIn.callsOf('chat.postMessage').filter((c) => c.args.channel === 'C0BUSY')).toHaveLength(2);
  });
});

describe('rate limits counted across instances', () => {
  it('limits an API token on both instances together', async () => {
    const token = (await createToken(database.db, { name: 'shared', scope: 'read' })).token;
    const get = (i: Instance) => i.app.inject({ method: 'GET', url: '/api/v1/customers', headers: { authorization: `Bearer ${token}` } });
    const codes = [];
    for (let n = 0; n < 6; n++) codes.push((await get(n % 2 === 0 ? a : b)).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await get(a);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'rate_limited', details: { limit: 5 } } });
  });

  it('limits a webhook source on both instances together', async () => {
    const scope = { configured: [], box: secretBoxFor(a.ctx.config, database) };
    const secret = (await createWebhookSource(database.db, scope, { name: 'shared', preset: 'generic', secret: 'whsec_shared_secret_000001' })).secret;
    const post = (i: Instance, id: string) =>
      signedPost(i.app, { source: 'shared', secret, body: JSON.stringify({ id, from: { email: 'someone@example.com' }, text: 'hello' }) });
    expect((await post(a, '1')).statusCode).toBe(202);
    expect((await post(b, '2')).statusCode).toBe(202);
    expect((await post(a, '3')).statusCode).toBe(202);
    expect((await post(b, '4')).statusCode).toBe(429);
  });
});

// Sign-in failures and lockouts are kept in the database (src/store/login-throttle.ts), which every
// instance shares already, Redis or not: a restart of Redis must not lift a lockout.
describe('sign-in counted across instances', () => {
  it('locks an account out on both instances once its failures on either add up', async () => {
    await addUser(database.db, { email: 'shared-lock@ours.example', role: 'viewer', password: 'correct horse battery' }, { name: 'test' });
    const signIn = async (i: Instance, password: string) => {
      const form = await i.app.inject({ method: 'GET', url: '/login' });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const cookie = [form.headers['set-cookie']].flat().filter(Boolean).map((c) => String(c).split(';')[0]).join('; ');
      const body = new URLSearchParams({ email: 'shared-lock@ours.example', password, _csrf: csrf }).toString();
      return (await i.app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, payload: body })).statusCode;
    };
    const codes = [];
    // RAPPORT_LOGIN_MAX_FAILURES is 5: the fifth failure, on either instance, locks the account.
    for (let n = 0; n < 5; n++) codes.push(await signIn(n % 2 === 0 ? a : b, 'wrong password'));
    expect(codes).toEqual([401, 401, 401, 401, 429]);
    expect(await signIn(b, 'correct horse battery')).toBe(429);
    expect(await signIn(a, 'correct horse battery')).toBe(429);
  });
});

describe('customer cards shared and dropped on change', () => {
  it('serves the cached card to both instances, and never a stale one after a capture', async () => {
    await channelsOf(a.ctx).captureNow([message('first', '第一封邮件：发票问题')]);
    expect(await lookup(a, 'zhang.wei@acme.cn')).toContain('第一封邮件');
    expect((await keysUnder(`${prefix}card:`)).some((k) => k.endsWith(zhang))).toBe(true);

    // A change behind Rapport's back (straight into the database) is not seen: B gets A's card.
    await database.db.execute(sql`update customers set name = '张伟伟' where id = ${zhang}`);
    const cached = await lookup(b, 'zhang.wei@acme.cn');
    expect(cached).toContain('第一封邮件');
    expect(cached).not.toContain('张伟伟');

    // A capture on B: the very next lookup on A shows it (and the database's name).
    const [captured] = await channelsOf(b.ctx).captureNow([message('second', '第二封邮件：退款进度')]);
    expect(captured!.customerId).toBe(zhang);
    const fresh = await lookup(a, 'zhang.wei@acme.cn');
    expect(fresh).toContain('第二封邮件');
    expect(fresh).toContain('张伟伟');
  });

  it('drops the card when the customer is updated or given an order through the API of the other instance', async () => {
    const token = (await createToken(database.db, { name: 'writer', scope: 'write' })).token;
    const headers = { authorization: `Bearer ${token}` };
    expect(await lookup(a, 'zhang.wei@acme.cn')).not.toContain('owner-from-api');
    const patched = await b.app.inject({ method: 'PATCH', url: `/api/v1/customers/${zhang}`, headers, payload: { owner: 'owner-from-api' } });
    expect(patched.statusCode).toBe(200);
    expect(await lookup(a, 'zhang.wei@acme.cn')).toContain('owner-from-api');

    const order = await b.app.inject({
      method: 'POST', url: '/api/v1/orders', headers,
      payload: { customer: zhang, externalId: 'shared-card-order', amount: '321.00', currency: 'CNY', status: 'paid', orderedAt: new Date().toISOString() },
    });
    expect(order.statusCode).toBe(201);
    expect(await lookup(a, 'zhang.wei@acme.cn')).toContain('321.00 CNY');
  });
});

describe('Slack profiles shared', () => {
  it('lets one instance use the profile another fetched, without asking Slack again', async () => {
    standIn.users.set('U0ANN', { id: 'U0ANN', team_id: 'T0CLIENT', email: 'ann@client.io', real_name: 'Ann' });
    standIn.sharedChannels.add('C0CLIENT');
    const linked = await a.app.inject(slashCommand('link zhang.wei@acme.cn', { channel: 'C0CLIENT', responseUrl: standIn.responseUrl('link') }));
    expect(linked.body).toContain('Linked');
    const deliver = async (i: Instance, ts: string) => {
      const res = await i.app.inject(eventCallback({ type: 'message', channel: 'C0CLIENT', user: 'U0ANN', user_team: 'T0CLIENT', ts, text: `message ${ts}` }));
      expect(res.statusCode).toBe(200);
      await i.slack.idle();
      await channelsOf(i.ctx).worker.drain();
    };
    await deliver(a, '1700000000.000100');
    expect(standIn.callsOf('users.info').filter((c) => c.args.user === 'U0ANN')).toHaveLength(1);
    // Gone from the database behind Rapport's back: B still knows Ann from Redis.
    await database.db.delete(slackUsers).where(eq(slackUsers.userId, 'U0ANN'));
    await deliver(b, '1700000001.000100');
    expect(standIn.callsOf('users.info').filter((c) => c.args.user === 'U0ANN')).toHaveLength(1);
    const [row] = await database.db.select().from(communications).where(eq(communications.externalId, 'T0OURS:C0CLIENT:1700000001.000100'));
    expect(row!.participants).toEqual([expect.objectContaining({ role: 'from', email: 'ann@client.io' })]);
  });

  it('keeps no profile or card in Redis after an erasure', async () => {
    expect(await lookup(a, 'zhang.wei@acme.cn')).toContain('张伟');
    expect((await keysUnder(`${prefix}slack:profile:`)).length).toBeGreaterThan(0);
    await eraseCustomerData(b.ctx, zhang, 'test');
    expect(await keysUnder(`${prefix}slack:profile:`)).toEqual([]);
    expect(await lookup(a, 'zhang.wei@acme.cn')).toMatch(/no customer matches/i);
  });
});
