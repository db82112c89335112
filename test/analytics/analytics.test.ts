// Analytics wired to the store, on PGlite and PostgreSQL: capture with the analyzer hook, document
// frequencies, segments with history, value models and explanations, word vectors and "similar",
// and the CLI-facing errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerAnalytics, rebuildDocumentFrequencies } from '../../src/analytics-runner/customer-analytics.js';
import { defaultDigestAnalytics as storedDigestAnalytics } from '../../src/jobs/digests.js';
import { keywordsFor, trendingKeywords } from '../../src/analytics-runner/keywords-query.js';
import { runSegments } from '../../src/analytics-runner/segments-run.js';
import { similarTo, trainVectors } from '../../src/analytics-runner/similar.js';
import { explainValue, trainValue } from '../../src/analytics-runner/value-train.js';
import { kinds } from '../../src/analytics/kind.js';
import { captureAllOf } from '../helpers/capture.js';
import { analyticsJob } from '../../src/jobs/analytics.js';
import type { AppContext } from '../../src/context.js';
import { normalizeCustomer } from '../../src/core/customers.js';
import { isRapportError } from '../../src/core/errors.js';
import { documentCount, latestSegmentRun, latestValueModel, latestWordVectors, loadDocumentFrequencies, segmentHistory } from '../../src/store/analytics-repo.js';
import { upsertCustomer } from '../../src/store/customers-repo.js';
import { upsertOrder } from '../../src/store/orders-repo.js';
import { captureContext, email } from '../capture/helpers.js';

let ctx: AppContext;
const now = new Date();
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const ids: string[] = [];

const enIssue = ['The refund request for my order is still pending.', 'Second refund request, nobody answered.', 'Where is my refund request? It has been two weeks.'];
const zhIssue = ['发货延迟一周了，太慢了。', '又是发货延迟，客户很着急。', '请问发货延迟什么时候解决？'];
const calm = ['Thanks for the call, see you next week.', 'Please find the signed contract attached.', '附件是签好的合同，请查收。'];

beforeAll(async () => {
  ({ ctx } = await captureContext());
  const db = ctx.database.db;
  // 24 customers: 8 big recent buyers who complain, 8 small old buyers who are calm, 8 with nothing.
  for (let i = 0; i < 24; i++) {
    const { id } = await upsertCustomer(db, normalizeCustomer({ name: `Customer ${i}`, emails: [`c${i}@shop${i}.example`] }, { defaultRegion: 'CN' }));
    ids.push(id);
    const group = Math.floor(i / 8);
    const orders = group === 0 ? 12 : group === 1 ? 2 : 0;
    for (let o = 0; o < orders; o++) {
      await upsertOrder(db, {
        customerId: id, externalId: `o-${i}-${o}`, amount: group === 0 ? '2500.00' : '40.00', currency: 'CNY', status: 'paid',
        orderedAt: daysAgo(group === 0 ? 3 + o * 5 : 300 + o * 10),
      });
    }
  }
  const messages = [];
  for (let i = 0; i < 16; i++) {
    const texts = i < 8 ? [...enIssue, ...zhIssue] : calm;
    for (const [j, text] of texts.entries()) {
      messages.push(email(`c${i}@shop${i}.example`, { subject: null as unknown as undefined, text, occurredAt: daysAgo(1 + ((i + j) % 5)) }));
    }
  }
  // Background from a month ago, for trending.
  for (let j = 0; j < 12; j++) messages.push(email('c16@shop16.example', { text: calm[j % 3] as string, occurredAt: daysAgo(10 + (j % 3)) }));
  await captureAllOf(ctx)(messages);
}, 120_000);

afterAll(async () => {
  await ctx?.close();
});

describe('analytics in the store', () => {
  it('analyzes at capture: language, keywords, sentiment and kind are stored, and DF is counted', async () => {
    const { rows } = (await ctx.database.db.execute(
      "select language, keywords, sentiment, kind from communications where text like '%发货延迟一周%' order by created_at desc limit 1" as never,
    )) as unknown as { rows: { language: string; keywords: string[]; sentiment: number; kind: string }[] };
    const r = rows[0]!;
    expect(r.language).toBe('zh');
    expect(r.keywords).toContain('发货 延迟');
    expect(Number(r.sentiment)).toBeLessThan(0);
    expect([...kinds.filter((k) => k !== 'other'), 'message']).toContain(r.kind);
    expect(await documentCount(ctx.database.db)).toBe(8 * 6 + 8 * 3 + 12);
    const df = await loadDocumentFrequencies(ctx.database.db);
    expect(df.counts.get('refund request')).toBe(24);
  });

  it('rebuilds document frequencies to the same counts', async () => {
    const before = await loadDocumentFrequencies(ctx.database.db);
    const r = await rebuildDocumentFrequencies(ctx);
    const after = await loadDocumentFrequencies(ctx.database.db);
    expect(r.documents).toBe(before.documents);
    expect(after.counts.get('发货 延迟')).toBe(before.counts.get('发货 延迟'));
  });

  it('gives keywords for a customer and trending terms', async () => {
    const kw = await keywordsFor(ctx, { customer: 'c0@shop0.example', limit: 5 });
    expect(kw.keywords.map((k) => k.term)).toEqual(expect.arrayContaining(['refund request', '发货 延迟']));
    const trending = await trendingKeywords(ctx, 7);
    expect(trending.terms.map((t) => t.term)).toContain('refund request');
    await expect(keywordsFor(ctx, { customer: 'nobody@nowhere.example' })).rejects.toSatisfy((e) => isRapportError(e, 'not_found'));
  });

  it('runs segments, keeps history per customer, and answers segment members', async () => {
    const first = await runSegments(ctx, { k: 3, seed: 1, now });
    expect(first.segments.map((s) => s.size).sort()).toEqual([8, 8, 8]);
    const again = await runSegments(ctx, { k: 3, seed: 1, now });
    expect(again.segments).toEqual(first.segments);
    const balanced = await runSegments(ctx, { k: 5, balanced: true, now });
    const sizes = balanced.segments.map((s) => s.size);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(await segmentHistory(ctx.database.db, ids[0]!)).toHaveLength(3);
    const big = first.segments.find((s) => s.en.startsWith('high value'));
    expect(big?.size).toBe(8);
    const members = await storedDigestAnalytics.segmentMembers(ctx.database.db, String(balanced.segments[0]!.index));
    expect(members).toHaveLength(balanced.segments[0]!.size);
    await expect(runSegments(ctx, { k: 100 })).rejects.toSatisfy((e) => isRapportError(e, 'validation'));
  });

  it('trains versioned value models from percentiles or a CSV and explains a tier', async () => {
    await expect(explainValue(ctx, ids[0]!)).rejects.toSatisfy((e) => isRapportError(e, 'not_found'));
    const v1 = await trainValue(ctx, { now });
    expect(v1.version).toBe(1);
    expect(v1.labelSource).toBe('revenue_percentiles');
    const csv = ['customer,tier', ...ids.map((id, i) => `${i % 2 ? id : `c${i}@shop${i}.example`},${i < 8 ? 'high' : 'low'}`), 'ghost@x.example,high'].join('\n');
    const v2 = await trainValue(ctx, { labelsCsv: csv, now, folds: 2 });
    expect(v2.version).toBe(2);
    expect(v2.rows).toBe(24);
    expect(v2.unknownCustomers).toEqual(['ghost@x.example']);
    const e = await explainValue(ctx, 'c0@shop0.example', now);
    expect(e.tier).toBe('high');
    expect(e.modelVersion).toBe(2);
    expect(e.text).toMatch(/→ high$/);
    expect(await storedDigestAnalytics.highValueCustomerIds(ctx.database.db)).toHaveLength(8);
    await expect(trainValue(ctx, { labelsCsv: 'who,what\n1,2' })).rejects.toSatisfy((e2) => isRapportError(e2, 'validation'));
    const summary = await customerAnalytics(ctx, ids[0]!);
    expect(summary.valueTier?.tier).toBe('high');
    expect(summary.segment).not.toBeNull();
    expect(summary.keywords).toContain('refund request');
  });

  it('trains word vectors and finds similar communications for text and for a stored message', async () => {
    await expect(similarTo(ctx, { text: 'refund' })).rejects.toSatisfy((e) => isRapportError(e, 'not_found'));
    const trained = await trainVectors(ctx, { epochs: 20 });
    expect(trained.documents).toBe(8 * 6 + 8 * 3 + 12);
    const en = await similarTo(ctx, { text: 'my refund request is pending' });
    expect(en.results[0]?.snippet).toMatch(/refund request/);
    const zh = await similarTo(ctx, { text: '发货延迟怎么办' });
    expect(zh.results[0]?.snippet).toMatch(/发货延迟/);
    const byId = await similarTo(ctx, { communicationId: en.results[0]!.id });
    expect(byId.results.map((r) => r.id)).not.toContain(en.results[0]!.id);
    expect(byId.results[0]?.snippet).toMatch(/refund/);
  });

  it('runs the nightly job: skipped after a fresh run, else recomputes and keeps a labelled value model', async () => {
    const db = ctx.database.db;
    const before = await latestSegmentRun(db);
    await analyticsJob().run(ctx, {});
    expect((await latestSegmentRun(db))?.id).toBe(before?.id);
    await db.execute('delete from segment_runs' as never);
    await analyticsJob().run(ctx, {});
    expect(await latestSegmentRun(db)).not.toBeNull();
    expect((await latestWordVectors(db))?.version).toBe(2);
    expect((await latestValueModel(db))?.version).toBe(2);
  });
});
