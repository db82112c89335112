// `rapport value train|explain`: tiers from a CSV (customer,tier) or revenue percentiles, a tree
// trained on customer features with k-fold accuracy, stored as a new model version with a tier
// prediction for every customer.
import { parse } from 'csv-parse/sync';
import { customerFeatures } from '../analytics/customer-features.js';
import { explainTier, tiersFromRevenue, trainValueModel, type TierExplanation } from '../analytics/value-tiers.js';
import { DecisionTreeClassifier } from '../analytics/decision-tree.js';
import { RapportError } from '../core/errors.js';
import type { AppContext } from '../context.js';
import { latestValueModel, saveValueModel, valueTierHistory } from '../store/analytics-repo.js';
import { customerAggregates, resolveCustomer } from '../store/analytics-queries.js';
import { noProgress, type Progress } from './progress.js';

export interface ValueTrainOptions {
  /** CSV text with columns customer,tier (customer: id, email or exact name). */
  labelsCsv?: string | undefined;
  maxDepth?: number;
  folds?: number;
  seed?: number;
  now?: Date;
}

export interface ValueTrainResult {
  version: number;
  labelSource: 'csv' | 'revenue_percentiles';
  rows: number;
  cvAccuracy: number | null;
  folds: number;
  tiers: Record<string, number>;
  unknownCustomers: string[];
  ms: number;
}

export async function trainValue(ctx: AppContext, opts: ValueTrainOptions = {}, progress: Progress = noProgress): Promise<ValueTrainResult> {
  const started = performance.now();
  const db = ctx.database.db;
  const now = opts.now ?? new Date();
  progress('reading customers', 0, 4);
  const aggregates = await customerAggregates(db, now);
  const features = aggregates.map((a) => customerFeatures(a, now));
  const index = new Map(aggregates.map((a, i) => [a.customerId, i]));
  let X: number[][];
  let tiers: string[];
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
    }
    if (X.length < 2) throw new RapportError('validation', `the labels match ${X.length} known customers; at least 2 are needed`, { unknownCustomers: unknownCustomers.slice(0, 20) });
  } else {
    if (aggregates.length < 2) throw new RapportError('validation', `value tiers need at least 2 customers (found ${aggregates.length})`);
    X = features;
    tiers = tiersFromRevenue(aggregates.map((a) => a.revenue));
  }
  progress('training', 1, 4);
  const model = trainValueModel(X, tiers, {
    maxDepth: opts.maxDepth ?? 5, folds: opts.folds ?? 5, seed: opts.seed ?? 42, now,
    labelSource: opts.labelsCsv !== undefined ? 'csv' : 'revenue_percentiles',
  });
  progress('predicting', 2, 4);
  const tree = DecisionTreeClassifier.load(model.tree);
  const predictions = aggregates.map((a, i) => {
    const leaf = tree.path(features[i] as number[]).at(-1);
    const total = leaf ? leaf.counts.reduce((s, v) => s + v, 0) : 0;
    return { customerId: a.customerId, tier: model.tiers[leaf?.prediction ?? 0] as string, confidence: total ? (leaf?.counts[leaf.prediction] ?? 0) / total : 0 };
  });
  progress('saving', 3, 4);
  const { version } = await saveValueModel(db, model, predictions);
  progress('done', 4, 4);
  const counts: Record<string, number> = {};
  for (const t of tiers) counts[t] = (counts[t] ?? 0) + 1;
  return { version, labelSource: model.labelSource, rows: model.rows, cvAccuracy: model.cvAccuracy, folds: model.folds, tiers: counts, unknownCustomers, ms: Math.round(performance.now() - started) };
}

function parseLabels(csv: string): { customer: string; tier: string }[] {
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
  return records.filter((r) => r.customer && r.tier).map((r) => ({ customer: r.customer as string, tier: r.tier as string }));
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
  const [aggregate] = await customerAggregates(db, now, [customer.id]);
  if (!aggregate) throw new RapportError('not_found', `customer ${customerRef} not found`, { id: customerRef });
  const x = customerFeatures(aggregate, now);
  const e = explainTier(latest.model, x);
  return {
    ...e, customerId: customer.id, customerName: customer.name, modelVersion: latest.version, trainedAt: latest.model.trainedAt,
    history: await valueTierHistory(db, customer.id),
  };
}
