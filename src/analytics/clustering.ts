// k-means (ml-kmeans, k-means++ seeded) with k chosen by silhouette, and a balanced variant whose
// segment sizes differ by at most one — for dividing accounts evenly among a team.
import { kmeans } from 'ml-kmeans';
import { seededRandom, shuffled } from './random.js';

export interface Clustering {
  k: number;
  assignments: number[];
  centroids: number[][];
  /** Mean silhouette (on a sample of at most `silhouetteSample` points). */
  silhouette: number;
  /** Silhouette per k tried, when k was chosen. */
  tried?: { k: number; silhouette: number }[];
}

export interface ClusterOptions {
  /** A fixed k, or a range to choose from by silhouette (default 2..8). */
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
  const max = Math.min(n - 1, opts.k?.max ?? 8);
  if (max < min) return run(Math.min(n, min));
  let best: Clustering | null = null;
  const tried: { k: number; silhouette: number }[] = [];
  for (let k = min; k <= max; k++) {
    const c = run(k);
    tried.push({ k, silhouette: c.silhouette });
    if (!best || c.silhouette > best.silhouette + 1e-9) best = c;
  }
  return { ...(best as Clustering), tried };
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
