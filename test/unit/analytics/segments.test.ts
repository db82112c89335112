import { describe, expect, it } from 'vitest';
import { cluster, silhouette } from '../../../src/analytics/clustering.js';
import { clusteringMatrix, customerFeatures, featureNames } from '../../../src/analytics/customer-features.js';
import { labelSegment, labelSegments } from '../../../src/analytics/segment-labels.js';
import { adjustedRandIndex } from './helpers/adjusted-rand.js';
import { plantedClusters } from './helpers/synthetic-customers.js';

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
      revenue: 5000, communications90d: { email: 3, slack: 2, webhook: 1, api: 1 }, negative90d: 1, scored90d: 4, openIssues: 2, avgResponseHours: 5,
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
});
