// The review, staff and communications commands, run as a user runs them: the real `rapport`
// process against a database seeded through the capture pipeline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureOf } from '../helpers/capture.js';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { normalizeCustomer } from '../../src/core/customers.js';
import { createLogger } from '../../src/log.js';
import { createCustomer } from '../../src/store/customers-repo.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../helpers/database.js';
import { runCli } from './cli-harness.js';

let database: TestDatabase | null = null;
let dataDir: string;
let env: Record<string, string>;
let communicationId: string;

const rapport = (...args: string[]) => runCli(args, env);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rapport-cli-'));
  if (testDbKind === 'postgres') database = await createTestDatabase();
  env = {
    LOG_LEVEL: 'warn', RAPPORT_JOBS: 'off', RAPPORT_INTERNAL_DOMAINS: 'rapport.example', RAPPORT_AUTO_CREATE: 'never', RAPPORT_DEFAULT_REGION: 'CN',
    ...(database ? { DATABASE_URL: database.url! } : { RAPPORT_DATA_DIR: dataDir }),
  };
  const ctx = await createContext(loadConfig(env), createLogger('silent'));
  await createCustomer(ctx.database.db, normalizeCustomer({ name: 'Kim', emails: ['kim@k.example'] }, { defaultRegion: 'CN' }));
  const r = await captureOf(ctx)({
    channel: 'email', externalId: '<cli-1@x>', threadHints: {}, from: { email: 'kim.alt@163.com', name: 'Kim' }, to: [{ email: 'help@rapport.example' }],
    subject: '发票', text: '请开发票', attachments: [], occurredAt: new Date('2026-05-01T00:00:00Z'), flags: [],
  });
  communicationId = r.id;
  await ctx.close();
}, 300_000);

afterAll(async () => {
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('rapport review / communications / staff', { timeout: 120_000 }, () => {
  it('lists the queue, links a message, and shows it under the customer', async () => {
    const list = await rapport('review', 'list', '--json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ communicationId, reason: 'unmatched', contact: { email: 'kim.alt@163.com', name: 'Kim' } })]);

    const link = await rapport('review', 'link', communicationId, 'kim@k.example', '--by', 'tester');
    expect(link.code).toBe(0);
    expect(link.stdout).toContain('learned email:kim.alt@163.com');

    const comms = await rapport('communications', 'list', '--customer', 'kim.alt@163.com', '--json');
    expect(comms.code).toBe(0);
    const [c] = JSON.parse(comms.stdout);
    expect(c).toEqual({
      id: communicationId, channel: 'email', external_id: '<cli-1@x>', direction: 'inbound', kind: 'message',
      customer: { id: expect.any(String), name: 'Kim', email: 'kim@k.example' }, company: null, thread_id: expect.any(String),
      subject: '发票', text: '请开发票', occurred_at: '2026-05-01T00:00:00.000Z', flags: [], match: { rule: 'review', confidence: 1 },
    });
  });

  it('adds and lists staff', async () => {
    expect((await rapport('staff', 'add', 'Helper@Gmail.com', '--name', 'Helper')).code).toBe(0);
    const list = await rapport('staff', 'list', '--json');
    expect(JSON.parse(list.stdout)).toMatchObject({ internalDomains: ['rapport.example'], staff: [{ kind: 'email', value: 'helper@gmail.com', name: 'Helper' }] });
  });

  it('fails with one line and exit code 1 for an unknown customer', async () => {
    const r = await rapport('review', 'link', communicationId, 'nobody@k.example');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('rapport: customer nobody@k.example not found');
  });
});
