// Value tiers: a depth-limited decision tree over customer features, trained on labels a team gives
// (CSV customer,tier) or, without labels, on tiers cut from revenue percentiles. The model is plain
// JSON with a version; `explainTier` reads the decision path as words, in English and in Chinese.
// A model goes live only when it has enough labels and predicts better than guessing (`promotion`).
import { featureLabels, featureNames, type FeatureName } from './customer-features.js';
import { DecisionTreeClassifier, type TreeJson, type TreeNode, type TreeOptions } from './decision-tree.js';
import { seededRandom, shuffled } from './random.js';

export const defaultTiers = ['low', 'medium', 'high'] as const;

/** A model needs at least this many labelled customers in every tier, and two tiers, to go live. */
export const MIN_LABELS_PER_TIER = 10;

export interface TierLabel {
  en: string;
  zh: string;
}

/** Names of the usual tiers in both languages; a team's own tier names can bring theirs (tier_zh). */
export const knownTierLabels: Record<string, TierLabel> = {
  low: { en: 'low', zh: '低价值' },
  medium: { en: 'medium', zh: '中价值' },
  high: { en: 'high', zh: '高价值' },
  vip: { en: 'VIP', zh: '贵宾' },
};

export function tierLabel(model: Pick<ValueModel, 'tierLabels'>, tier: string): TierLabel {
  return model.tierLabels?.[tier] ?? knownTierLabels[tier.toLowerCase()] ?? { en: tier, zh: tier };
}

export interface ValueModel {
  version: 1;
  trainedAt: string;
  labelSource: 'csv' | 'revenue_percentiles';
  features: readonly string[];
  tiers: string[];
  /** Tier names in English and Chinese (models trained before this field: the known names). */
  tierLabels?: Record<string, TierLabel>;
  rows: number;
  /** Mean accuracy over k folds (null when there were too few rows). */
  cvAccuracy: number | null;
  folds: number;
  tree: TreeJson;
}

/** Tiers from revenue percentiles: below p50 'low', p50–p80 'medium', above p80 'high' (defaults). */
export function tiersFromRevenue(revenues: readonly number[], cuts: readonly number[] = [0.5, 0.8], tiers: readonly string[] = defaultTiers): string[] {
  if (cuts.length !== tiers.length - 1) throw new Error('one cut fewer than tiers is needed');
  const sorted = revenues.slice().sort((a, b) => a - b);
  const bounds = cuts.map((q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  const lowest = sorted[0] ?? 0;
  return revenues.map((r) => {
    let t = 0;
    // A cut that falls on the lowest revenue (many customers without orders) does not lift them.
    while (t < bounds.length && (r > (bounds[t] as number) || (r === bounds[t] && r > lowest))) t++;
    return tiers[t] as string;
  });
}

export interface TrainValueOptions extends TreeOptions {
  folds?: number;
  seed?: number;
  labelSource?: ValueModel['labelSource'];
  /** Chinese (and English) names for tiers beyond the known ones. */
  tierLabels?: Record<string, TierLabel>;
  now?: Date;
}

/** Train on rows of raw features (featureNames order) with a tier per row. */
export function trainValueModel(X: readonly (readonly number[])[], tierOf: readonly string[], opts: TrainValueOptions = {}): ValueModel {
  const tiers = orderTiers([...new Set(tierOf)]);
  const y = tierOf.map((t) => tiers.indexOf(t));
  const treeOptions: TreeOptions = { maxDepth: opts.maxDepth ?? 5, minNumSamples: opts.minNumSamples ?? 5, gainThreshold: opts.gainThreshold ?? 1e-4 };
  const folds = opts.folds ?? 5;
  const cvAccuracy = X.length >= folds * 2 ? crossValidate(X, y, folds, treeOptions, opts.seed ?? 42) : null;
  const tree = new DecisionTreeClassifier(treeOptions);
  tree.train(X, y);
  return {
    version: 1,
    trainedAt: (opts.now ?? new Date()).toISOString(),
    labelSource: opts.labelSource ?? 'csv',
    features: featureNames,
    tiers,
    tierLabels: Object.fromEntries(tiers.map((t) => [t, opts.tierLabels?.[t] ?? tierLabel({}, t)])),
    rows: X.length,
    cvAccuracy,
    folds,
    tree: tree.toJSON(),
  };
}

/** Known tier names sort low → high; others alphabetically after them. */
function orderTiers(names: string[]): string[] {
  const rank = (t: string) => {
    const i = (['low', 'medium', 'high', 'vip'] as string[]).indexOf(t.toLowerCase());
    return i < 0 ? 100 : i;
  };
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Stratified k-fold: each class is dealt round-robin into folds after a seeded shuffle. */
export function stratifiedFolds(y: readonly number[], k: number, seed = 42): number[] {
  const fold = new Array<number>(y.length).fill(0);
  const byClass = new Map<number, number[]>();
  y.forEach((c, i) => byClass.set(c, [...(byClass.get(c) ?? []), i]));
  const random = seededRandom(seed);
  let next = 0;
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    for (const i of shuffled(byClass.get(c) as number[], random)) fold[i] = next++ % k;
  }
  return fold;
}

export function crossValidate(X: readonly (readonly number[])[], y: readonly number[], k: number, options: TreeOptions, seed = 42): number {
  const fold = stratifiedFolds(y, k, seed);
  let total = 0;
  for (let f = 0; f < k; f++) {
    const trainX: (readonly number[])[] = [];
    const trainY: number[] = [];
    const testX: (readonly number[])[] = [];
    const testY: number[] = [];
    X.forEach((x, i) => {
      if (fold[i] === f) {
        testX.push(x);
        testY.push(y[i] as number);
      } else {
        trainX.push(x);
        trainY.push(y[i] as number);
      }
    });
    const tree = new DecisionTreeClassifier(options);
    tree.train(trainX, trainY);
    const predicted = tree.predict(testX);
    total += predicted.filter((p, i) => p === testY[i]).length / (testY.length || 1);
  }
  return total / k;
}

export interface TierExplanation {
  tier: string;
  /** Share of training rows in the leaf that had this tier. */
  confidence: number;
  conditions: { feature: string; op: '<' | '≥'; value: number }[];
  /** "orders in last 90 days ≥ 3.5 and negative share < 0.2 → high" */
  text: string;
  textZh: string;
}

export function predictTier(model: ValueModel, x: readonly number[]): string {
  const tree = DecisionTreeClassifier.load(model.tree);
  return model.tiers[tree.predict([x])[0] as number] as string;
}

export function explainTier(model: ValueModel, x: readonly number[]): TierExplanation {
  const tree = DecisionTreeClassifier.load(model.tree);
  const path = tree.path(x);
  const leaf = path.at(-1) as TreeNode;
  // Keep the tightest bound per feature and direction, in the order first met.
  const bounds = new Map<string, { feature: string; op: '<' | '≥'; value: number }>();
  for (const node of path.slice(0, -1)) {
    const feature = model.features[node.feature as number] as string;
    const op = (x[node.feature as number] as number) < (node.threshold as number) ? '<' : '≥';
    const key = `${feature}${op}`;
    const prev = bounds.get(key);
    const value = node.threshold as number;
    if (!prev || (op === '<' ? value < prev.value : value > prev.value)) bounds.set(key, { feature, op, value });
  }
  const conditions = [...bounds.values()];
  const tier = model.tiers[leaf.prediction] as string;
  const total = leaf.counts.reduce((a, b) => a + b, 0);
  const words = (lang: 'en' | 'zh') =>
    conditions.map((c) => `${featureLabels[c.feature as FeatureName]?.[lang] ?? c.feature} ${c.op} ${formatNumber(c.value)}`);
  const en = words('en');
  const zh = words('zh');
  return {
    tier,
    confidence: total ? (leaf.counts[leaf.prediction] as number) / total : 0,
    conditions,
    text: `${en.length ? en.join(' and ') : 'all customers'} → ${tier}`,
    textZh: `${zh.length ? zh.join(' 且 ') : '所有客户'} → ${tierLabel(model, tier).zh}`,
  };
}

export type Promotion =
  | { promoted: true; baseline: number }
  | { promoted: false; baseline: number; code: 'too_few_labels' | 'no_better_than_guessing'; reason: string };

/**
 * Whether a trained model may replace the live one: every tier has MIN_LABELS_PER_TIER labels, there
 * are two tiers at least, and cross-validated accuracy beats always answering the largest tier.
 */
export function promotion(tierOf: readonly string[], cvAccuracy: number | null): Promotion {
  const counts = new Map<string, number>();
  for (const t of tierOf) counts.set(t, (counts.get(t) ?? 0) + 1);
  const largest = Math.max(0, ...counts.values());
  const baseline = tierOf.length ? largest / tierOf.length : 0;
  const short = [...counts].filter(([, n]) => n < MIN_LABELS_PER_TIER);
  if (counts.size < 2 || short.length) {
    const what = counts.size < 2
      ? `only one tier (${[...counts.keys()].join('') || 'none'}) among ${tierOf.length} labelled customers; at least 2 tiers are needed`
      : `too few labelled customers in ${short.map(([t, n]) => `${t} (${n})`).join(', ')}; each tier needs ${MIN_LABELS_PER_TIER}`;
    return { promoted: false, baseline, code: 'too_few_labels', reason: what };
  }
  if (cvAccuracy === null || cvAccuracy <= baseline + 1e-9) {
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    return {
      promoted: false, baseline, code: 'no_better_than_guessing',
      reason: `cross-validated accuracy ${cvAccuracy === null ? 'n/a' : pct(cvAccuracy)} does not beat always answering the largest tier (${pct(baseline)})`,
    };
  }
  return { promoted: true, baseline };
}

function formatNumber(v: number): string {
  if (Math.abs(v) >= 100) return String(Math.round(v));
  if (Math.abs(v) >= 1) return String(Math.round(v * 10) / 10);
  return String(Math.round(v * 100) / 100);
}
