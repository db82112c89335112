// `rapport communications correct` and `rapport kinds evaluate|report`, run as a user runs them:
// the real process against a database seeded through the capture pipeline.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureOf } from '../helpers/capture.js';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { createLogger } from '../../src/log.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../helpers/database.js';
import { runCli } from './cli-harness.js';

let database: TestDatabase | null = null;
let dir: string;
let env: Record<string, string>;
let messageId: string;

const rapport = (...args: string[]) => runCli(args, env);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rapport-kinds-'));
  if (testDbKind === 'postgres') database = await createTestDatabase();
  env = { LOG_LEVEL: 'warn', RAPPORT_JOBS: 'off', RAPPORT_DEFAULT_REGION: 'CN', RAPPORT_AUTO_CREATE: 'always', ...(database ? { DATABASE_URL: database.url! } : { RAPPORT_DATA_DIR: join(dir, 'data') }) };
  const ctx = await createContext(loadConfig(env), createLogger('silent'));
  const r = await captureOf(ctx, { afterCommit: null })({
    channel: 'email', externalId: '<cli-kinds@x>', threadHints: {}, from: { email: 'kim@k.example', name: 'Kim' }, to: [{ email: 'help@ours.example' }],
    subject: 'Order 4471', text: 'The tracking page has shown "in transit" since the 3rd. Could someone check where it is?', attachments: [], occurredAt: new Date(), flags: [],
  });
  messageId = r.id;
  await ctx.close();
}, 300_000);

afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('rapport communications correct', { timeout: 180_000 }, () => {
  it('corrects kind and sentiment by a unique id prefix, recording who', async () => {
    const r = await rapport('--json', 'communications', 'correct', messageId.slice(0, 8), '--kind', 'complaint', '--sentiment', 'neg', '--by', 'lily');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ communicationId: messageId, new: { kind: 'complaint', sentiment: -1 }, correctedBy: 'lily', source: 'cli' });
    const human = await rapport('communications', 'correct', messageId, '--sentiment', 'neu');
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('kind complaint → complaint, sentiment -1.00 → 0.00');
  });

  it('refuses a bad kind (exit 2) and an unknown id (exit 1)', async () => {
    const bad = await rapport('communications', 'correct', messageId, '--kind', 'inquiry');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('kind: one of feedback, question, issue, complaint, praise, other');
    const unknown = await rapport('communications', 'correct', 'ffffffff', '--kind', 'issue');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('communication ffffffff not found');
  });
});

describe('rapport kinds', { timeout: 180_000 }, () => {
  it('reports the live model per kind and the corrections by kind and source', async () => {
    const r = await rapport('--json', 'kinds', 'report');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.live).toMatchObject({ version: 0, source: 'default' });
    expect(report.measuredOn).toBe('cross-validation');
    expect(Object.keys(report.metrics.perKind)).toEqual(['feedback', 'question', 'issue', 'complaint', 'praise', 'other']);
    expect(report.corrections).toMatchObject({ total: 2, messages: 1, sentiments: [{ to: 'neg', n: 1 }, { to: 'neu', n: 1 }], bySource: { cli: 2 } });
    expect(report.corrections.kinds).toHaveLength(1);
    expect(report.corrections.kinds[0]).toMatchObject({ to: 'complaint', n: 1 });
    const human = await rapport('kinds', 'report');
    expect(human.stdout).toContain('corrections: 2 on 1 messages');
    expect(human.stdout).toMatch(/complaint\s+0\.\d{3}\s+0\.\d{3}/);
    expect(human.stdout).toContain('by source: cli 2');
  });

  it('evaluates the live model on any labeled TSV, per language and per kind', async () => {
    const file = join(dir, 'mini.tsv');
    writeFileSync(file, ['lang\tkind\tsentiment\ttext', 'en\tquestion\tneu\tHow do I export my invoices?', 'en\tpraise\tpos\tThank you so much, great support!', 'zh\tother\tneu\t收到，谢谢', 'zh\tcomplaint\tneg\t太差了，发货一再延迟，我要投诉。'].join('\n'));
    const r = await rapport('--json', 'kinds', 'evaluate', file);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m).toMatchObject({ n: 4, kindAccuracy: 1, version: 0 });
    expect(m.byLanguage.en.n).toBe(2);
    expect(m.byLanguage.zh.perKind.complaint).toMatchObject({ precision: 1, recall: 1, support: 1 });
    const human = await rapport('kinds', 'evaluate', file);
    expect(human.stdout).toContain('kind accuracy 1.000');
    const missing = await rapport('kinds', 'evaluate', join(dir, 'nope.tsv'));
    expect(missing.code).toBe(2);
    writeFileSync(file, 'en\tinquiry\tneu\tHow?\n');
    const bad = await rapport('kinds', 'evaluate', file);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('line 1: unknown kind');
  });
});
