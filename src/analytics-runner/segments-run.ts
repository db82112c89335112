// `rapport segments run`: features for every customer → reliability-weighted standard scale →
// k-means (k chosen among stable ks by silhouette, or fixed; optionally balanced) → unique labels
// and the traits that set each segment apart → stored as a run (history kept per customer).
import { cluster, maxSegments, type KTrial } from '../analytics/clustering.js';
import { clusteringMatrix, customerFeatures, featureNames, observationsOf } from '../analytics/customer-features.js';
import { labelSegments, segmentTraits } from '../analytics/segment-labels.js';
import { RapportError } from '../core/errors.js';
import type { AppContext } from '../context.js';
import { saveSegmentRun } from '../store/analytics-repo.js';
import { customerAggregates } from '../store/analytics-queries.js';
import type { SegmentInfo } from '../store/schema/index.js';
import { noProgress, type Progress } from './progress.js';
import { revenueBasis, type RevenueBasis } from './revenue-basis.js';

export interface SegmentRunOptions {
  k?: number | undefined;
  kMin?: number;
  kMax?: number;
  balanced?: boolean;
  seed?: number;
  now?: Date;
}

export interface SegmentRunResult {
  runId: string;
  k: number;
  balanced: boolean;
  silhouette: number;
  customers: number;
  segments: Omit<SegmentInfo, 'centroid'>[];
  tried?: KTrial[] | undefined;
  revenue: RevenueBasis;
  ms: number;
}

export async function runSegments(ctx: AppContext, opts: SegmentRunOptions = {}, progress: Progress = noProgress): Promise<SegmentRunResult> {
  const started = performance.now();
  const db = ctx.database.db;
  if (opts.k !== undefined && (!Number.isInteger(opts.k) || opts.k < 1)) {
    throw new RapportError('validation', '--k must be a positive integer', { fields: [{ field: 'k', message: 'a positive integer' }] });
  }
  progress('reading customers', 0, 3);
  const revenue = await revenueBasis(ctx);
  const aggregates = await customerAggregates(db, opts.now ?? new Date(), undefined, revenue.currency);
  if (aggregates.length < 2) throw new RapportError('validation', `segments need at least 2 customers (found ${aggregates.length})`);
  if (opts.k !== undefined && opts.k > aggregates.length) throw new RapportError('validation', `--k ${opts.k} is more than the ${aggregates.length} customers`);
  progress('clustering', 1, 3);
  const raw = aggregates.map((a) => customerFeatures(a, opts.now ?? new Date()));
  const { matrix } = clusteringMatrix(raw, observationsOf(aggregates));
  const seed = opts.seed ?? 42;
  const result = cluster(matrix, {
    k: opts.k ?? { min: opts.kMin ?? 2, max: Math.min(opts.kMax ?? 8, maxSegments(aggregates.length)) },
    seed,
    balanced: opts.balanced ?? false,
  });
  const labels = labelSegments(result.centroids);
  const segments: SegmentInfo[] = result.centroids.map((centroid, index) => ({
    index, en: labels[index]?.en ?? '', zh: labels[index]?.zh ?? '', size: result.assignments.filter((a) => a === index).length,
    centroid: centroid.map((v) => Math.round(v * 1000) / 1000),
    traits: segmentTraits(centroid),
  }));
  progress('saving', 2, 3);
  const runId = await saveSegmentRun(db, {
    k: result.k, balanced: opts.balanced ?? false, seed, silhouette: result.silhouette, features: [...featureNames], segments,
    tried: result.tried, members: aggregates.map((a, i) => ({ customerId: a.customerId, segment: result.assignments[i] as number })),
  });
  // Every card shows its customer's segment.
  await ctx.shared.cards.forgetAll();
  progress('done', 3, 3);
  return {
    runId, k: result.k, balanced: opts.balanced ?? false, silhouette: result.silhouette, customers: aggregates.length,
    segments: segments.map(({ centroid: _c, ...s }) => s), tried: result.tried, revenue, ms: Math.round(performance.now() - started),
  };
}
