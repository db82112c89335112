// Redis is a help, not a dependency: with a private redis-server stopped (and later hung), Rapport
// answers from the database and its own state, at once, logs one warning without secrets, and
// takes Redis up again when it is back.
import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackAdapter } from '../../adapters/slack/index.js';
import { channelsOf } from '../../src/channels/index.js';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { normalizeCustomer } from '../../src/core/customers.js';
import { build, type App } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { upsertCustomer } from '../../src/store/customers-repo.js';
import { createToken } from '../../src/store/tokens-repo.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { keysUnder, startPrivateRedis, uniquePrefix, until, type PrivateRedis } from '../helpers/redis.js';
import { slackTestEnv, textOf } from '../helpers/slack-app.js';
import { slashCommand } from '../helpers/slack-requests.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';

const run = promisify(execFile);

let database: TestDatabase;
let standIn: SlackStandIn;
let redis: PrivateRedis;
let ctx: AppContext;
let app: App;
let slack: SlackAdapter;
let token: string;
const prefix = uniquePrefix('outage');
const logLines: string[] = [];

const warnings = () => logLines.filter((l) => l.includes('redis is unavailable'));

const lookup = async () => {
  const started = Date.now();
  const res = await app.inject(slashCommand('lookup zhang.wei@acme.cn', { responseUrl: standIn.responseUrl(`r${Math.random()}`) }));
  expect(res.statusCode).toBe(200);
  return { text: textOf(JSON.parse(res.body)), ms: Date.now() - started };
};
const apiGet = () => app.inject({ method: 'GET', url: '/api/v1/customers', headers: { authorization: `Bearer ${token}` } });
const capture = (id: string, text: string) =>
  channelsOf(ctx).captureNow([
    { channel: 'email', externalId: `<${id}@acme.cn>`, threadHints: {}, from: { email: 'zhang.wei@acme.cn', name: '张伟' }, to: [{ email: 'support@ours.com' }], subject: id, text, attachments: [], occurredAt: new Date(), flags: [] },
  ]);

beforeAll(async () => {
  redis = await startPrivateRedis();
  standIn = await SlackStandIn.start();
  database = await createTestDatabase();
  const log = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const config = loadConfig({
    ...slackTestEnv(standIn),
    RAPPORT_JOBS: 'off',
    RAPPORT_RATE_LIMIT_API: '1000',
    REDIS_URL: redis.url,
    RAPPORT_REDIS_PREFIX: prefix,
    // Above the default (250 ms) so a loaded machine's slow moment is not taken for an outage.
    RAPPORT_REDIS_TIMEOUT_MS: '1000',
  });
  ctx = await createContext(config, createLogger('info', log), database);
  app = await build({ ctx, logRequests: false });
  slack = (await channelsOf(ctx).slack())!;
  expect(await ctx.shared.redis!.whenReady(10_000)).toBe(true);
  const n = normalizeCustomer({ name: '张伟', emails: ['zhang.wei@acme.cn'], company: 'Acme 科技' }, { defaultRegion: 'CN' });
  await database.db.transaction((tx) => upsertCustomer(tx, n));
  token = (await createToken(database.db, { name: 'outage', scope: 'read' })).token;
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
  await standIn?.close();
  await redis?.stop();
});

describe('when Redis goes away', () => {
  it('keeps answering from the database, warns once without secrets, and takes Redis up again', async () => {
    await capture('before', '故障之前的邮件');
    expect((await lookup()).text).toContain('故障之前的邮件');
    expect((await apiGet()).statusCode).toBe(200);
    const cached = await keysUnder(`${prefix}card:`, redis.url);
    expect(cached.length).toBeGreaterThan(0);
    expect((await keysUnder(`${prefix}rl:`, redis.url)).length).toBeGreaterThan(0);

    await redis.stop();
    await until(() => !ctx.shared.redis!.ready, 10_000, 'the link to notice');

    // Everything still answers, promptly, from the database and this process's own state.
    await capture('during', '故障期间的邮件');
    for (let i = 0; i < 3; i++) {
      const { text, ms } = await lookup();
      expect(text).toContain('故障期间的邮件');
      expect(ms).toBeLessThan(2_000);
      expect((await apiGet()).statusCode).toBe(200);
    }
    await slack.api.postMessage('C0OUT', { text: 'still paced, by this process' });
    expect(standIn.callsOf('chat.postMessage').some((c) => c.args.channel === 'C0OUT')).toBe(true);

    expect(warnings()).toHaveLength(1);
    expect(logLines.join('\n')).not.toContain(redis.url);
    expect(logLines.join('\n')).not.toContain(`:${redis.port}`);

    await redis.start();
    await until(() => ctx.shared.redis!.ready, 20_000, 'the link to reconnect');
    await until(() => logLines.some((l) => l.includes('redis is back')), 5_000, 'the note that Redis is back');
    // Used again: the card goes back into Redis, the counters too.
    await capture('after', '恢复之后的邮件');
    expect((await lookup()).text).toContain('恢复之后的邮件');
    await until(async () => (await keysUnder(`${prefix}card:`, redis.url)).some((k) => !k.includes(':gen') && !k.includes(':v:')), 5_000, 'a card in Redis again');
    expect((await apiGet()).statusCode).toBe(200);
    expect((await keysUnder(`${prefix}rl:`, redis.url)).length).toBeGreaterThan(0);
    expect(warnings()).toHaveLength(1);
  });

  it('never holds a request for long when Redis hangs', async () => {
    const { stdout } = await run('redis-cli', ['-p', String(redis.port), 'info', 'server']);
    const pid = Number(/process_id:(\d+)/.exec(stdout)![1]);
    expect((await lookup()).text).toContain('张伟');
    process.kill(pid, 'SIGSTOP');
    try {
      // One command timeout (1 s here), then Redis is left alone for a moment.
      for (let i = 0; i < 3; i++) {
        const { text, ms } = await lookup();
        expect(text).toContain('恢复之后的邮件');
        expect(ms).toBeLessThan(4_000);
        const started = Date.now();
        expect((await apiGet()).statusCode).toBe(200);
        expect(Date.now() - started).toBeLessThan(4_000);
      }
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await until(async () => (await keysUnder(`${prefix}card:`, redis.url)).length > 0, 10_000, 'Redis answering again');
  });
});
