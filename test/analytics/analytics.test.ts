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
import { revenueBasis } from '../../src/analytics-runner/revenue-basis.js';
import { customerAggregates } from '../../src/store/analytics-queries.js';
import { customerCard } from '../../src/store/customer-card.js';
import { saveFxRates } from '../../src/store/fx-rates-repo.js';
import { captureContext, email, withConfig } from '../capture/helpers.js';

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
  // 30 customers: 10 big recent buyers who complain, 10 small old buyers who are calm, 10 with nothing.
  for (let i = 0; i < 30; i++) {
    const { id } = await upsertCustomer(db, normalizeCustomer({ name: `Customer ${i}`, emails: [`c${i}@shop${i}.example`], externalId: `EXT-${i}` }, { defaultRegion: 'CN' }));
    ids.push(id);
    const group = Math.floor(i / 10);
    const orders = group === 0 ? 12 : group === 1 ? 2 : 0;
    for (let o = 0; o < orders; o++) {
      await upsertOrder(db, {
        customerId: id, externalId: `o-${i}-${o}`, amount: group === 0 ? '2500.00' : '40.00', currency: 'CNY', status: 'paid',
        orderedAt: daysAgo(group === 0 ? 3 + o * 5 : 300 + o * 10),
      });
    }
  }
  const messages = [];
  for (let i = 0; i < 20; i++) {
    const texts = i < 10 ? [...enIssue, ...zhIssue] : calm;
    for (const [j, text] of texts.entries()) {
      messages.push(email(`c${i}@shop${i}.example`, { subject: null as unknown as undefined, text, occurredAt: daysAgo(1 + ((i + j) % 5)) }));
    }
  }
  // Background from a month ago, for trending.
  for (let j = 0; j < 12; j++) messages.push(email('c20@shop20.example', { text: calm[j % 3] as string, occurredAt: daysAgo(10 + (j % 3)) }));
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
    // Chinese words (jieba), or the two-word phrase they make: either way the delay is what stands out.
    expect(r.keywords.join(' ')).toMatch(/发货/);
    expect(r.keywords.join(' ')).toMatch(/延迟/);
    expect(Number(r.sentiment)).toBeLessThan(0);
    expect([...kinds.filter((k) => k !== 'other'), 'message']).toContain(r.kind);
    expect(await documentCount(ctx.database.db)).toBe(10 * 6 + 10 * 3 + 12);
    const df = await loadDocumentFrequencies(ctx.database.db);
    expect(df.counts.get('refund request')).toBe(30);
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
    expect(first.segments.map((s) => s.size).sort()).toEqual([10, 10, 10]);
    const again = await runSegments(ctx, { k: 3, seed: 1, now });
    expect(again.segments).toEqual(first.segments);
    const balanced = await runSegments(ctx, { k: 5, balanced: true, now });
    const sizes = balanced.segments.map((s) => s.size);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(await segmentHistory(ctx.database.db, ids[0]!)).toHaveLength(3);
    const members = await storedDigestAnalytics.segmentMembers(ctx.database.db, String(balanced.segments[0]!.index));
    expect(members).toHaveLength(balanced.segments[0]!.size);
    const big = first.segments.find((s) => s.en.startsWith('high value'));
    expect(big?.size).toBe(10);
    expect(new Set(first.segments.map((s) => s.en)).size).toBe(3);
    expect(big?.traits?.map((t) => t.feature)).toContain('revenue');
    // Found by itself, no more than 30/5 = 6 segments tried: the three groups stay whole and apart
    // (c20, who wrote twelve more emails, may stand alone).
    const found = await runSegments(ctx, { seed: 1, now });
    expect(Math.max(...(found.tried ?? []).map((t) => t.k))).toBe(6);
    const segmentOf = new Map<string, number>();
    for (const id of ids) segmentOf.set(id, (await segmentHistory(ctx.database.db, id, 1))[0]!.segment);
    const groupSegments = [0, 1, 2].map((g) => new Set(ids.slice(g * 10, g * 10 + 10).filter((_, i) => g * 10 + i !== 20).map((id) => segmentOf.get(id))));
    expect(groupSegments.map((g) => g.size)).toEqual([1, 1, 1]);
    expect(new Set(groupSegments.map((g) => [...g][0])).size).toBe(3);
    // The Slack card shows the segment with what sets it apart.
    const card = await customerCard(ctx.database.db, ids[0]!);
    expect(card?.segment?.description).toMatch(/\(.*σ.*\)$/);
    await expect(runSegments(ctx, { k: 100 })).rejects.toSatisfy((e) => isRapportError(e, 'validation'));
  });

  it('trains versioned value models from percentiles or a CSV and explains a tier', async () => {
    await expect(explainValue(ctx, ids[0]!)).rejects.toSatisfy((e) => isRapportError(e, 'not_found'));
    const v1 = await trainValue(ctx, { now });
    expect(v1.version).toBe(1);
    expect(v1.labelSource).toBe('revenue_percentiles');
    // Customers named by id, by email and by external id.
    const ref = (id: string, i: number) => [id, `c${i}@shop${i}.example`, `EXT-${i}`][i % 3] as string;
    const csv = ['customer,tier', ...ids.map((id, i) => `${ref(id, i)},${i < 10 ? 'high' : 'low'}`), 'ghost@x.example,high'].join('\n');
    const v2 = await trainValue(ctx, { labelsCsv: csv, now, folds: 2 });
    expect(v2).toMatchObject({ version: 2, promoted: true, rows: 30, tiers: { high: 10, low: 20 } });
    expect(v2.cvAccuracy).toBeGreaterThan(v2.baseline);
    expect(v2.unknownCustomers).toEqual(['ghost@x.example']);
    const e = await explainValue(ctx, 'c0@shop0.example', now);
    expect(e.tier).toBe('high');
    expect(e.modelVersion).toBe(2);
    expect(e.text).toMatch(/→ high$/);
    expect(e.textZh).toMatch(/→ 高价值$/);
    expect(await storedDigestAnalytics.highValueCustomerIds(ctx.database.db)).toHaveLength(10);
    await expect(trainValue(ctx, { labelsCsv: 'who,what\n1,2' })).rejects.toSatisfy((e2) => isRapportError(e2, 'validation'));
    const summary = await customerAnalytics(ctx, ids[0]!);
    expect(summary.valueTier?.tier).toBe('high');
    expect(summary.segment).not.toBeNull();
    expect(summary.keywords).toContain('refund request');
  });

  it('keeps the live model when labels are too few or predict no better than guessing the largest tier', async () => {
    const db = ctx.database.db;
    const live = (await latestValueModel(db))?.version;
    // Two labels: a one-class model would call every customer high.
    const two = await trainValue(ctx, { labelsCsv: `customer,tier\n${ids[0]},high\n${ids[1]},high`, now });
    expect(two).toMatchObject({ promoted: false, version: null, refusal: { code: 'too_few_labels' } });
    // Tiers that cut across groups of identical customers cannot be learned.
    const across = await trainValue(ctx, { labelsCsv: ['customer,tier', ...ids.map((id, i) => `${id},${i % 3 === 0 ? 'high' : 'low'}`)].join('\n'), now });
    expect(across).toMatchObject({ promoted: false, version: null, refusal: { code: 'no_better_than_guessing' } });
    expect((await latestValueModel(db))?.version).toBe(live);
    expect((await explainValue(ctx, ids[0]!, now)).tier).toBe('high');
  });

  it('sums revenue in one currency: converted at the loaded rate, left out with a warning without one', async () => {
    const db = ctx.database.db;
    const buyer = ids[25]!;
    await upsertOrder(db, { customerId: buyer, externalId: 'usd-1', amount: '100.00', currency: 'USD', status: 'paid', orderedAt: daysAgo(5) });
    expect(await revenueBasis(ctx)).toEqual({ currency: 'CNY', unconverted: [{ currency: 'USD', orders: 1 }] });
    expect((await customerAggregates(db, now, [buyer], 'CNY'))[0]).toMatchObject({ orders: 1, revenue: 0 });
    await saveFxRates(db, 'CNY', [{ currency: 'USD', rateToReporting: 7, asOf: daysAgo(30).toISOString().slice(0, 10) }, { currency: 'USD', rateToReporting: 7.2, asOf: daysAgo(6).toISOString().slice(0, 10) }]);
    expect(await revenueBasis(ctx)).toEqual({ currency: 'CNY', unconverted: [] });
    expect((await customerAggregates(db, now, [buyer], 'CNY'))[0]?.revenue).toBeCloseTo(720, 6);
    // Rates loaded for another reporting currency are not used.
    expect(await revenueBasis(withConfig(ctx, { RAPPORT_REPORTING_CURRENCY: 'EUR' }))).toEqual({ currency: 'EUR', unconverted: [{ currency: 'CNY', orders: 120 + 20 }, { currency: 'USD', orders: 1 }] });
    await db.execute(`delete from orders where external_id = 'usd-1'` as never);
  });

  it('trains word vectors and finds similar communications for text and for a stored message', async () => {
    await expect(similarTo(ctx, { text: 'refund' })).rejects.toSatisfy((e) => isRapportError(e, 'not_found'));
    const trained = await trainVectors(ctx, { epochs: 20 });
    expect(trained.documents).toBe(10 * 6 + 10 * 3 + 12);
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
