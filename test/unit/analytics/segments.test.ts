import { describe, expect, it } from 'vitest';
import { cluster, maxSegments, silhouette } from '../../../src/analytics/clustering.js';
import { clusteringMatrix, customerFeatures, featureNames, observationsOf } from '../../../src/analytics/customer-features.js';
import { labelSegment, labelSegments, segmentTraits } from '../../../src/analytics/segment-labels.js';
import { adjustedRandIndex } from './helpers/adjusted-rand.js';
import { plantedBehaviour, plantedClusters } from './helpers/synthetic-customers.js';

describe('adjusted Rand index (test helper)', () => {
  it('is 1 for the same partition under other names and near 0 for unrelated ones', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9])).toBe(1);
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 1, 0, 1, 0, 1])).toBeLessThan(0.1);
  });
});

describe('segments', () => {
  it('recover planted clusters, choosing k by silhouette (ARI ≥ 0.9)', () => {
    const { points, truth } = plantedClusters(1500, 4);
    const result = cluster(points, { k: { min: 2, max: 7 }, seed: 1 });
    const ari = adjustedRandIndex(result.assignments, truth);
    console.log('planted clusters: k', result.k, 'ARI', ari.toFixed(3), 'silhouette', result.silhouette.toFixed(3));
    expect(result.k).toBe(4);
    expect(ari).toBeGreaterThanOrEqual(0.9);
    expect(result.tried?.map((t) => t.k)).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('are reproducible with a seed', () => {
    const { points } = plantedClusters(600, 5, 3, 2.5);
    const a = cluster(points, { k: 5, seed: 11 });
    const b = cluster(points, { k: 5, seed: 11 });
    expect(b.assignments).toEqual(a.assignments);
    expect(b.centroids).toEqual(a.centroids);
  });

  it('in balanced mode have sizes that differ by at most one, and still follow the structure', () => {
    for (const [n, k] of [[1001, 4], [997, 6], [50, 7]] as const) {
      const { points, truth } = plantedClusters(n, k, 5);
      const result = cluster(points, { k, seed: 2, balanced: true });
      const sizes = Array.from({ length: k }, (_, c) => result.assignments.filter((a) => a === c).length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
      if (n > 100) expect(adjustedRandIndex(result.assignments, truth)).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('silhouette prefers the true partition to a random one', () => {
    const { points, truth } = plantedClusters(300, 3);
    expect(silhouette(points, truth)).toBeGreaterThan(0.5);
    expect(silhouette(points, truth.map((_, i) => i % 2))).toBeLessThan(0.2);
  });

  it('computes features from customer aggregates and standardizes them', () => {
    const now = new Date('2026-01-31T00:00:00Z');
    const f = customerFeatures({
      customerId: 'c', lastOrderAt: new Date('2026-01-01T00:00:00Z'), firstOrderAt: new Date('2025-01-31T00:00:00Z'), orders: 12, orders90d: 4,
      revenue: 5000, communications90d: { email: 3, slack: 2, webhook: 1, api: 1 }, negative90d: 1, scored90d: 4, openIssues: 2, avgResponseHours: 5, responses: 3,
    }, now);
    expect(f).toEqual([30, 365, 12, 4, 5000, 3, 2, 2, 0.25, 2, 5]);
    expect(f).toHaveLength(featureNames.length);
    const { matrix } = clusteringMatrix([f, f.map((v) => v * 2), f.map((v) => v * 3)]);
    const col = matrix.map((r) => r[4] as number);
    expect(col.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
  });

  it('names segments from their centroids in English and Chinese', () => {
    const z = (over: Partial<Record<(typeof featureNames)[number], number>>) => featureNames.map((n) => over[n] ?? 0);
    expect(labelSegment(z({ revenue: 1.5, recency_days: 1.2 }))).toEqual({ en: 'high value · at risk', zh: '高价值 · 流失风险' });
    expect(labelSegment(z({ tenure_days: -1.4, recency_days: -0.6, comms_90d_email: 1, comms_90d_slack: 1, comms_90d_other: 1 })))
      .toEqual({ en: 'new · active', zh: '新客户 · 活跃' });
    expect(labelSegment(z({}))).toEqual({ en: 'typical', zh: '普通' });
    expect(labelSegments([z({}), z({})]).map((l) => l.en)).toEqual(['typical', 'typical (2)']);
  });

  it('gives segments that would read the same unique labels from the feature they differ on most', () => {
    const z = (over: Partial<Record<(typeof featureNames)[number], number>>) => featureNames.map((n) => over[n] ?? 0);
    const labels = labelSegments([
      z({ negative_share: 1.2, recency_days: 0.9, revenue: 0.2, orders: 0.1 }),
      z({ negative_share: 1.1, recency_days: 0.8, revenue: -0.3, orders: 0.2 }),
      z({ revenue: 1 }),
    ]);
    expect(labels.map((l) => l.en)).toEqual(['unhappy · at risk · higher revenue', 'unhappy · at risk · lower revenue', 'high value']);
    expect(labels[0]?.zh).toBe('不满 · 流失风险 · 累计金额较高');
    expect(new Set(labels.map((l) => l.zh)).size).toBe(3);
  });

  it('list the features that set a segment apart, strongest first', () => {
    const z = (over: Partial<Record<(typeof featureNames)[number], number>>) => featureNames.map((n) => over[n] ?? 0);
    const traits = segmentTraits(z({ revenue: 1.42, recency_days: -0.8, open_issues: 0.1 }));
    expect(traits.map((t) => t.en)).toEqual(['revenue ↑ 1.4σ', 'days since last order ↓ 0.8σ']);
    expect(traits[0]?.zh).toBe('累计金额 ↑ 1.4σ');
  });

  it('never choose more segments than the data supports: at most n/5, and 2 below 20 customers', () => {
    expect([2, 12, 14, 19, 20, 39, 40, 1000].map(maxSegments)).toEqual([2, 2, 2, 2, 4, 7, 8, 8]);
    for (const n of [12, 14]) {
      const { points } = plantedClusters(n, 6, 3);
      expect(cluster(points, { seed: 1 }).k).toBe(2);
    }
    const { points } = plantedClusters(30, 8, 3);
    expect(cluster(points, { seed: 1 }).k).toBeLessThanOrEqual(6);
  });

  it('recover groups that differ in how they order although their few messages carry noisy sentiment (ARI ≥ 0.9, k found)', () => {
    const now = new Date('2026-06-30T00:00:00Z');
    const { aggregates, truth } = plantedBehaviour(1000, 5, now);
    const raw = aggregates.map((a) => customerFeatures(a, now));
    const weighted = clusteringMatrix(raw, observationsOf(aggregates));
    const found = cluster(weighted.matrix, { seed: 42 });
    const ari = adjustedRandIndex(found.assignments, truth);
    // Every ratio at face value, k by silhouette alone: what segments did before.
    const naive = cluster(clusteringMatrix(raw).matrix, { seed: 42 });
    console.log('planted behaviour: k', found.k, 'ARI', ari.toFixed(3), '| unweighted: k', naive.k, 'ARI', adjustedRandIndex(naive.assignments, truth).toFixed(3));
    expect(found.k).toBe(5);
    expect(ari).toBeGreaterThanOrEqual(0.9);
    expect(found.tried?.find((t) => t.k === 5)?.stability).toBeGreaterThanOrEqual(0.8);
    // Message counts that differ no more than chance carry (almost) no weight; orders carry it all.
    const w = (name: (typeof featureNames)[number]) => weighted.weights[featureNames.indexOf(name)] as number;
    expect(w('comms_90d_email')).toBeLessThan(0.2);
    expect(w('orders')).toBeGreaterThan(0.8);
  });

  it('shrink a ratio from few messages toward the population, by how many stand behind it', () => {
    const base = { lastOrderAt: null, firstOrderAt: null, orders: 0, orders90d: 0, revenue: 0, communications90d: {}, openIssues: 0, avgResponseHours: null, responses: 0 };
    const aggregates = [
      { ...base, customerId: 'one-bad-message', negative90d: 1, scored90d: 1 },
      { ...base, customerId: 'many-bad', negative90d: 40, scored90d: 50 },
      ...Array.from({ length: 20 }, (_, i) => ({ ...base, customerId: `calm${i}`, negative90d: 1, scored90d: 20 })),
    ];
    const now = new Date();
    const { matrix } = clusteringMatrix(aggregates.map((a) => customerFeatures(a, now)), observationsOf(aggregates));
    const j = featureNames.indexOf('negative_share');
    const [one, many, calm] = [matrix[0]![j]!, matrix[1]![j]!, matrix[2]![j]!];
    // Taken at face value the single bad message (share 1.0) would outrank 40 bad of 50 (0.8).
    expect((one - calm) * 4).toBeLessThan(many - calm);
    const plain = clusteringMatrix(aggregates.map((a) => customerFeatures(a, now))).matrix;
    expect(plain[0]![j]!).toBeGreaterThan(plain[1]![j]!);
  });
});
