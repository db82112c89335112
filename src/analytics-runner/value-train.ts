// `rapport value train|explain`: tiers from a CSV (customer,tier) or revenue percentiles, a tree
// trained on customer features with k-fold accuracy, stored as a new model version with a tier
// prediction for every customer — only when it has enough labels per tier and beats guessing the
// largest tier; otherwise the live model stays and the result says why.
import { parse } from 'csv-parse/sync';
import { customerFeatures } from '../analytics/customer-features.js';
import {
  explainTier, promotion, tiersFromRevenue, trainValueModel, type TierExplanation, type TierLabel,
} from '../analytics/value-tiers.js';
import { DecisionTreeClassifier } from '../analytics/decision-tree.js';
import { RapportError } from '../core/errors.js';
import type { AppContext } from '../context.js';
import { latestValueModel, saveValueModel, valueTierHistory } from '../store/analytics-repo.js';
import { customerAggregates, resolveCustomer } from '../store/analytics-queries.js';
import { noProgress, type Progress } from './progress.js';
import { revenueBasis, type RevenueBasis } from './revenue-basis.js';

export interface ValueTrainOptions {
  /** CSV text with columns customer,tier[,tier_zh] (customer: id, email, external id or exact name). */
  labelsCsv?: string | undefined;
  maxDepth?: number;
  folds?: number;
  seed?: number;
  now?: Date;
}

export interface ValueTrainResult {
  /** The new live model's version; null when it was not promoted (the previous one stays live). */
  version: number | null;
  promoted: boolean;
  /** Why the model was not promoted. */
  refusal?: { code: 'too_few_labels' | 'no_better_than_guessing'; reason: string };
  labelSource: 'csv' | 'revenue_percentiles';
  rows: number;
  cvAccuracy: number | null;
  /** Accuracy of always answering the largest tier: what cvAccuracy must beat. */
  baseline: number;
  folds: number;
  tiers: Record<string, number>;
  unknownCustomers: string[];
  revenue: RevenueBasis;
  ms: number;
}

export async function trainValue(ctx: AppContext, opts: ValueTrainOptions = {}, progress: Progress = noProgress): Promise<ValueTrainResult> {
  const started = performance.now();
  const db = ctx.database.db;
  const now = opts.now ?? new Date();
  progress('reading customers', 0, 4);
  const revenue = await revenueBasis(ctx);
  const aggregates = await customerAggregates(db, now, undefined, revenue.currency);
  const features = aggregates.map((a) => customerFeatures(a, now));
  const index = new Map(aggregates.map((a, i) => [a.customerId, i]));
  let X: number[][];
  let tiers: string[];
  const tierLabels: Record<string, TierLabel> = {};
  const unknownCustomers: string[] = [];
  if (opts.labelsCsv !== undefined) {
    const rows = parseLabels(opts.labelsCsv);
    X = [];
    tiers = [];
    for (const r of rows) {
      const c = await resolveCustomer(db, r.customer);
      const i = c ? index.get(c.id) : undefined;
      if (i === undefined) {
        unknownCustomers.push(r.customer);
        continue;
      }
      X.push(features[i] as number[]);
      tiers.push(r.tier);
      if (r.tierZh) tierLabels[r.tier] = { en: r.tier, zh: r.tierZh };
    }
  } else {
    X = features;
    tiers = tiersFromRevenue(aggregates.map((a) => a.revenue));
  }
  const counts: Record<string, number> = {};
  for (const t of tiers) counts[t] = (counts[t] ?? 0) + 1;
  const labelSource = opts.labelsCsv !== undefined ? 'csv' as const : 'revenue_percentiles' as const;
  const folds = opts.folds ?? 5;
  const base = { labelSource, rows: X.length, folds, tiers: counts, unknownCustomers: unknownCustomers.slice(0, 100), revenue };
  const early = promotion(tiers, 1);
  if (!early.promoted && early.code === 'too_few_labels') {
    return { ...base, version: null, promoted: false, refusal: { code: early.code, reason: early.reason }, cvAccuracy: null, baseline: early.baseline, ms: Math.round(performance.now() - started) };
  }
  progress('training', 1, 4);
  const model = trainValueModel(X, tiers, { maxDepth: opts.maxDepth ?? 5, folds, seed: opts.seed ?? 42, now, labelSource, tierLabels });
  const verdict = promotion(tiers, model.cvAccuracy);
  if (!verdict.promoted) {
    return { ...base, version: null, promoted: false, refusal: { code: verdict.code, reason: verdict.reason }, cvAccuracy: model.cvAccuracy, baseline: verdict.baseline, ms: Math.round(performance.now() - started) };
  }
  progress('predicting', 2, 4);
  const tree = DecisionTreeClassifier.load(model.tree);
  const predictions = aggregates.map((a, i) => {
    const leaf = tree.path(features[i] as number[]).at(-1);
    const total = leaf ? leaf.counts.reduce((s, v) => s + v, 0) : 0;
    return { customerId: a.customerId, tier: model.tiers[leaf?.prediction ?? 0] as string, confidence: total ? (leaf?.counts[leaf.prediction] ?? 0) / total : 0 };
  });
  progress('saving', 3, 4);
  const { version } = await saveValueModel(db, model, predictions);
  // Every card shows its customer's value tier.
  await ctx.shared.cards.forgetAll();
  progress('done', 4, 4);
  return { ...base, version, promoted: true, cvAccuracy: model.cvAccuracy, baseline: verdict.baseline, ms: Math.round(performance.now() - started) };
}

function parseLabels(csv: string): { customer: string; tier: string; tierZh: string | undefined }[] {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
  } catch (e) {
    throw new RapportError('validation', `labels CSV cannot be read: ${(e as Error).message}`);
  }
  const first = records[0];
  if (!first || !('customer' in first) || !('tier' in first)) {
    throw new RapportError('validation', 'labels CSV needs the columns customer,tier', { fields: [{ field: 'labels', message: 'columns customer,tier' }] });
  }
  return records.filter((r) => r.customer && r.tier).map((r) => ({ customer: r.customer as string, tier: r.tier as string, tierZh: r.tier_zh || undefined }));
}

export interface ValueExplanation extends TierExplanation {
  customerId: string;
  customerName: string;
  modelVersion: number;
  trainedAt: string;
  history: Awaited<ReturnType<typeof valueTierHistory>>;
}

/** The tier of a customer now (current features through the latest model) and why. */
export async function explainValue(ctx: AppContext, customerRef: string, now = new Date()): Promise<ValueExplanation> {
  const db = ctx.database.db;
  const latest = await latestValueModel(db);
  if (!latest) throw new RapportError('not_found', 'no value model yet: run `rapport value train` first');
  const customer = await resolveCustomer(db, customerRef);
  if (!customer) throw new RapportError('not_found', `customer ${customerRef} not found`, { id: customerRef });
  const [aggregate] = await customerAggregates(db, now, [customer.id], (await revenueBasis(ctx)).currency);
  if (!aggregate) throw new RapportError('not_found', `customer ${customerRef} not found`, { id: customerRef });
  const x = customerFeatures(aggregate, now);
  const e = explainTier(latest.model, x);
  return {
    ...e, customerId: customer.id, customerName: customer.name, modelVersion: latest.version, trainedAt: latest.model.trainedAt,
    history: await valueTierHistory(db, customer.id),
  };
}
