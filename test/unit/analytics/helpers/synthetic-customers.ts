// Synthetic customers with known structure: planted clusters in feature space, and a planted tier rule.
import { featureNames } from '../../../../src/analytics/customer-features.js';
import { seededRandom, type Random } from '../../../../src/analytics/random.js';

function gaussian(random: Random): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** `k` well-separated blobs in `featureNames.length` dimensions; returns points and their blob. */
export function plantedClusters(n: number, k: number, seed = 7, spread = 0.6): { points: number[][]; truth: number[] } {
  const random = seededRandom(seed);
  const d = featureNames.length;
  const centers = Array.from({ length: k }, () => Array.from({ length: d }, () => (random() - 0.5) * 12));
  const points: number[][] = [];
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % k;
    truth.push(c);
    points.push((centers[c] as number[]).map((m) => m + gaussian(random) * spread));
  }
  return { points, truth };
}

/**
 * Raw customer features (featureNames order) with a planted tier rule:
 * orders_90d > 3 and negative_share < 0.2 → high; else revenue ≥ 1000 → medium; else low.
 */
export function plantedTiers(n: number, seed = 11): { X: number[][]; tiers: string[] } {
  const random = seededRandom(seed);
  const X: number[][] = [];
  const tiers: string[] = [];
  for (let i = 0; i < n; i++) {
    const orders90 = Math.floor(random() * 8);
    const negative = Math.round(random() * 100) / 100;
    const revenue = Math.round(random() * 3000);
    const x = [
      Math.floor(random() * 365), Math.floor(random() * 1000), orders90 + Math.floor(random() * 20), orders90, revenue,
      Math.floor(random() * 10), Math.floor(random() * 10), Math.floor(random() * 5), negative, Math.floor(random() * 4), random() * 48,
    ];
    X.push(x);
    tiers.push(orders90 > 3 && negative < 0.2 ? 'high' : revenue >= 1000 ? 'medium' : 'low');
  }
  return { X, tiers };
}
