// A Rapport app with Slack configured against the stand-in, on a fresh test database.
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { normalizeCustomer, type CustomerInput } from '../../src/core/customers.js';
import { build, type App } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { channelsOf } from '../../src/channels/index.js';
import { upsertCustomer } from '../../src/store/customers-repo.js';
import { orders } from '../../src/store/schema/index.js';
import type { SlackAdapter } from '../../adapters/slack/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { SlackStandIn } from './slack-stand-in.js';
import { ourTeam, signingSecret } from './slack-requests.js';

export interface SlackTest {
  database: TestDatabase;
  ctx: AppContext;
  app: App;
  slack: SlackAdapter;
  standIn: SlackStandIn;
  close(): Promise<void>;
}

/** The settings of a Slack app answered by the stand-in, with really signed requests. */
export function slackTestEnv(standIn: SlackStandIn): Record<string, string> {
  return { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: signingSecret, SLACK_ALLOWED_TEAM_IDS: ourTeam, SLACK_API_URL: standIn.apiUrl, RAPPORT_DEFAULT_REGION: 'CN' };
}

export async function startSlackTest(env: Record<string, string> = {}, log: NodeJS.WritableStream | null = null): Promise<SlackTest> {
  const standIn = await SlackStandIn.start();
  const database = await createTestDatabase();
  const config = loadConfig({ ...slackTestEnv(standIn), ...env });
  const ctx = await createContext(config, log ? createLogger('debug', log) : createLogger('silent'), database);
  const app = await build({ ctx, logRequests: false });
  const slack = (await channelsOf(ctx).slack())!;
  return {
    database,
    ctx,
    app,
    slack,
    standIn,
    async close() {
      await app.close();
      await ctx.close();
      await standIn.close();
    },
  };
}

export async function addCustomer(t: SlackTest, input: CustomerInput): Promise<string> {
  const n = normalizeCustomer(input, { defaultRegion: 'CN' });
  const { id } = await t.database.db.transaction((tx) => upsertCustomer(tx, n));
  return id;
}

export async function addOrder(t: SlackTest, customerId: string, amount: string, currency = 'CNY', status = 'paid'): Promise<void> {
  await t.database.db.insert(orders).values({ customerId, externalId: `o-${Math.random()}`, amount, currency, status, orderedAt: new Date() });
}

/** All text of a Slack message (text, sections, fields, context), for assertions. */
export function textOf(msg: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(msg);
  return out.join('\n');
}
