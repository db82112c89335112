// k-means (ml-kmeans, k-means++ seeded) with k chosen by silhouette among the ks whose segments
// are stable, and a balanced variant whose segment sizes differ by at most one — for dividing
// accounts evenly among a team.
import { kmeans } from 'ml-kmeans';
import { adjustedRandIndex } from './adjusted-rand.js';
import { seededRandom, shuffled } from './random.js';

export interface Clustering {
  k: number;
  assignments: number[];
  centroids: number[][];
  /** Mean silhouette (on a sample of at most `silhouetteSample` points). */
  silhouette: number;
  /** Silhouette and stability per k tried, when k was chosen. */
  tried?: KTrial[];
}

export interface KTrial {
  k: number;
  silhouette: number;
  /** Mean adjusted Rand index between the segments and k-means on random 80 % subsamples. */
  stability: number;
}

/** A k whose segments agree this well (adjusted Rand) with those of subsamples counts as stable. */
export const STABLE_ARI = 0.8;

/**
 * The most segments `n` customers support: none above n/5, at most 2 below 20 customers, at most
 * 8 in all — more segments than that split noise rather than describe customers.
 */
export function maxSegments(n: number): number {
  if (n < 20) return Math.min(2, n);
  return Math.min(8, Math.floor(n / 5));
}

export interface ClusterOptions {
  /** A fixed k, or a range to choose from (default 2..maxSegments(n)). */
  k?: number | { min: number; max: number };
  seed?: number;
  balanced?: boolean;
  silhouetteSample?: number;
  maxIterations?: number;
}

const sqDist = (a: readonly number[], b: readonly number[]) => {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += ((a[j] as number) - (b[j] as number)) ** 2;
  return s;
};

export function cluster(data: number[][], opts: ClusterOptions = {}): Clustering {
  const seed = opts.seed ?? 42;
  const sampleSize = opts.silhouetteSample ?? 2000;
  const n = data.length;
  if (n === 0) return { k: 0, assignments: [], centroids: [], silhouette: 0 };
  const run = (k: number): Clustering => {
    const kk = Math.max(1, Math.min(k, n));
    const r = kmeans(data, kk, { seed, initialization: 'kmeans++', maxIterations: opts.maxIterations ?? 100 });
    let assignments = r.clusters;
    let centroids = r.centroids;
    if (opts.balanced) ({ assignments, centroids } = balance(data, centroids));
    return { k: kk, assignments, centroids, silhouette: silhouette(data, assignments, sampleSize, seed) };
  };
  if (typeof opts.k === 'number') return run(opts.k);
  const min = Math.max(2, opts.k?.min ?? 2);
  const max = Math.min(n - 1, maxSegments(n), opts.k?.max ?? 8);
  if (max < min) return run(Math.max(1, Math.min(n, max)));
  let best: { c: Clustering; trial: KTrial } | null = null;
  const tried: KTrial[] = [];
  for (let k = min; k <= max; k++) {
    const c = run(k);
    const trial = { k, silhouette: c.silhouette, stability: stability(data, c.assignments, k, seed) };
    tried.push(trial);
    if (!best || better(trial, best.trial)) best = { c, trial };
  }
  return { ...(best as { c: Clustering }).c, tried };
}

/**
 * Silhouette alone rewards splitting noise (a cloud cut in eight has tight pieces too), so a k must
 * also be stable: the highest silhouette among stable ks wins; when none is stable, the most stable.
 */
function better(a: KTrial, b: KTrial): boolean {
  const stableA = a.stability >= STABLE_ARI;
  const stableB = b.stability >= STABLE_ARI;
  if (stableA !== stableB) return stableA;
  if (stableA) return a.silhouette > b.silhouette + 1e-9;
  return a.stability > b.stability + 1e-9;
}

/**
 * Mean adjusted Rand index between `assignments` and k-means run afresh on random 80 % subsamples
 * (of at most 2,000 points): segments that are really there come back; a split of noise does not.
 */
export function stability(data: readonly number[][], assignments: readonly number[], k: number, seed = 42, rounds = 5): number {
  const random = seededRandom(seed ^ 0x5eed);
  const all = data.map((_, i) => i);
  const pool = all.length > 2000 ? shuffled(all, random).slice(0, 2000) : all;
  let total = 0;
  for (let r = 0; r < rounds; r++) {
    const sample = shuffled(pool, random).slice(0, Math.max(k + 1, Math.floor(pool.length * 0.8)));
    const fit = kmeans(sample.map((i) => data[i] as number[]), k, { seed: seed + r + 1, initialization: 'kmeans++', maxIterations: 100 });
    total += adjustedRandIndex(fit.clusters, sample.map((i) => assignments[i] as number));
  }
  return total / rounds;
}

/**
 * Mean silhouette over a seeded sample of points (exact over all points is O(n²)): for each sampled
 * point, a = mean distance to its own cluster, b = smallest mean distance to another, (b − a)/max.
 * Distances are measured against the same sample, which keeps it O(s²).
 */
export function silhouette(data: readonly number[][], assignments: readonly number[], sampleSize = 2000, seed = 42): number {
  const idx = data.length <= sampleSize ? data.map((_, i) => i) : shuffled(data.map((_, i) => i), seededRandom(seed)).slice(0, sampleSize);
  const k = Math.max(...assignments) + 1;
  if (k < 2) return 0;
  let total = 0;
  let counted = 0;
  const sums = new Float64Array(k);
  const counts = new Float64Array(k);
  for (const i of idx) {
    sums.fill(0);
    counts.fill(0);
    for (const j of idx) {
      if (i === j) continue;
      const c = assignments[j] as number;
      sums[c] = (sums[c] as number) + Math.sqrt(sqDist(data[i] as number[], data[j] as number[]));
      counts[c] = (counts[c] as number) + 1;
    }
    const own = assignments[i] as number;
    if (!counts[own]) continue; // a singleton's silhouette is 0 by convention
    const a = (sums[own] as number) / (counts[own] as number);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && counts[c]) b = Math.min(b, (sums[c] as number) / (counts[c] as number));
    if (!Number.isFinite(b)) continue;
    total += (b - a) / Math.max(a, b, 1e-12);
    counted += 1;
  }
  return counted ? total / counted : 0;
}

/**
 * Equal-size segments: points are assigned in order of regret (how much they lose if not given
 * their nearest centroid), each to the nearest centroid that still has room; capacities are
 * ⌊n/k⌋, with n mod k of them allowed one more. Centroids are then recomputed and the assignment
 * repeated a few times. Sizes differ by at most one by construction.
 */
export function balance(data: readonly number[][], initial: number[][], rounds = 5): { assignments: number[]; centroids: number[][] } {
  const n = data.length;
  const k = initial.length;
  let centroids = initial.map((c) => c.slice());
  let assignments = new Array<number>(n).fill(0);
  for (let round = 0; round < rounds; round++) {
    const dist = data.map((p) => centroids.map((c) => sqDist(p, c)));
    const order = data.map((_, i) => i);
    const regret = dist.map((d) => {
      const s = d.slice().sort((a, b) => a - b);
      return (s[s.length - 1] as number) - (s[0] as number);
    });
    order.sort((a, b) => (regret[b] as number) - (regret[a] as number) || a - b);
    const floor = Math.floor(n / k);
    let extra = n % k;
    const size = new Array<number>(k).fill(0);
    const next = new Array<number>(n).fill(0);
    for (const i of order) {
      const d = dist[i] as number[];
      let best = -1;
      for (let c = 0; c < k; c++) {
        const room = (size[c] as number) < floor || ((size[c] as number) === floor && extra > 0);
        if (room && (best < 0 || (d[c] as number) < (d[best] as number))) best = c;
      }
      if ((size[best] as number) === floor) extra -= 1;
      size[best] = (size[best] as number) + 1;
      next[i] = best;
    }
    const changed = next.some((c, i) => c !== assignments[i]);
    assignments = next;
    centroids = centroids.map((c, ci) => {
      const members = data.filter((_, i) => assignments[i] === ci);
      if (!members.length) return c;
      return c.map((_, j) => members.reduce((s, p) => s + (p[j] as number), 0) / members.length);
    });
    if (!changed && round > 0) break;
  }
  return { assignments, centroids };
}
