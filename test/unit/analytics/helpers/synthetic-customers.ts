// Synthetic customers with known structure: planted clusters in feature space, and a planted tier rule.
import { featureNames, type CustomerAggregates } from '../../../../src/analytics/customer-features.js';
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

const poisson = (random: Random, mean: number): number => {
  // Knuth's method; means here are small.
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k += 1;
    p *= random();
  }
  return k;
};

/**
 * Customers in five groups that differ in how they order — champions, steady buyers, new
 * customers, lapsing regulars, lost one-off buyers — while every group writes a few messages whose
 * sentiment is noise (each message negative with the same probability) and whose replies take a
 * random time. Returns aggregates as the store would compute them, and each customer's group.
 */
export function plantedBehaviour(n: number, seed = 5, now = new Date('2026-06-30T00:00:00Z')): { aggregates: CustomerAggregates[]; truth: number[] } {
  const random = seededRandom(seed);
  const DAY = 86_400_000;
  const groups = [
    { recency: 8, tenure: 700, orders: 30, amount: 900 },
    { recency: 35, tenure: 500, orders: 9, amount: 250 },
    { recency: 12, tenure: 25, orders: 1.5, amount: 150 },
    { recency: 220, tenure: 800, orders: 7, amount: 300 },
    { recency: 450, tenure: 500, orders: 1.2, amount: 40 },
  ];
  const aggregates: CustomerAggregates[] = [];
  const truth: number[] = [];
  const jitter = (v: number, spread = 0.35) => v * Math.exp(gaussian(random) * spread);
  for (let i = 0; i < n; i++) {
    const g = i % groups.length;
    const spec = groups[g]!;
    const recency = jitter(spec.recency);
    const span = jitter(spec.tenure);
    const orders = Math.max(1, Math.round(jitter(spec.orders, 0.3)));
    // Orders spread evenly from the first to the last.
    const step = orders > 1 ? span / (orders - 1) : 0;
    let orders90d = 0;
    for (let o = 0; o < orders; o++) if (recency + o * step <= 90) orders90d += 1;
    const messages = poisson(random, 3);
    const communications90d: Record<string, number> = {};
    let negative = 0;
    for (let m = 0; m < messages; m++) {
      const r = random();
      const channel = r < 0.7 ? 'email' : r < 0.9 ? 'slack' : 'webhook';
      communications90d[channel] = (communications90d[channel] ?? 0) + 1;
      if (random() < 0.3) negative += 1;
    }
    const replies = Math.min(messages, poisson(random, 1.5));
    let hours = 0;
    for (let r = 0; r < replies; r++) hours += -Math.log(Math.max(random(), 1e-9)) * 12;
    aggregates.push({
      customerId: `c${i}`,
      lastOrderAt: new Date(now.getTime() - recency * DAY),
      firstOrderAt: new Date(now.getTime() - (recency + span) * DAY),
      orders,
      orders90d,
      revenue: Math.round(orders * jitter(spec.amount, 0.25)),
      communications90d,
      negative90d: negative,
      scored90d: messages,
      openIssues: poisson(random, 0.3),
      avgResponseHours: replies ? hours / replies : null,
      responses: replies,
    });
    truth.push(g);
  }
  return { aggregates, truth };
}
