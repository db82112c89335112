// The learned kind and sentiment classifier: two softmax regressions (kind over six classes,
// sentiment over neg/neu/pos) on the same hashed bilingual features. The model is plain JSON —
// settings, weights, the "unsure" threshold, a version — so it can be stored in the database and
// handed to worker threads as data; training and prediction are pure functions.
import { defaultFeatureSettings, messageFeatures, type FeatureSettings, type SparseVector } from './kind-features.js';
import { sentimentClasses, type LabeledExample, type SentimentClass } from './kind-corpus.js';
import { kinds, type Kind } from './kind.js';
import { seededRandom, shuffled } from './random.js';
import { softmaxProbabilities, trainSoftmax, type SoftmaxOptions, type SoftmaxWeights } from './softmax-regression.js';

export const kindModelFormat = 1;

export interface KindModel {
  format: typeof kindModelFormat;
  /** 0 for a model built from the corpus alone; stored versions count up from 1. */
  version: number;
  seed: number;
  features: FeatureSettings;
  l2: number;
  kind: SoftmaxWeights & { labels: Kind[] };
  sentiment: SoftmaxWeights & { labels: SentimentClass[] };
  /** A kind whose probability is below this is reported as 'other' (chosen by cross-validation). */
  otherThreshold: number;
  /**
   * The kind/sentiment pairs the training labels use ("complaint/neg"; never "praise/neg"): the
   * sentiment class is the most likely one that goes with the chosen kind.
   */
  pairs: string[];
  trainedOn: { examples: number; corrections: number; byLanguage: Record<string, number> };
}

export interface KindTrainOptions {
  seed: number;
  l2: number;
  features: FeatureSettings;
  /** Folds used to choose the "unsure → other" threshold (0: no threshold). */
  thresholdFolds: number;
  softmax?: Partial<SoftmaxOptions>;
}

export const defaultKindTrainOptions: KindTrainOptions = { seed: 42, l2: 1e-5, features: defaultFeatureSettings, thresholdFolds: 5, softmax: { epochs: 15, minCount: 2 } };

export interface KindPrediction {
  kind: Kind;
  /** Probability of the most likely kind (low when the answer is 'other' for want of evidence). */
  confidence: number;
  /** The most likely kind was below the threshold: the answer is 'other'. */
  unsure: boolean;
  sentiment: SentimentClass;
  /** p(pos) − p(neg), in −1..1: the stored `sentiment` number. */
  sentimentScore: number;
  kindProbabilities: Record<Kind, number>;
}

/** Vectors of the examples' texts (computed once, reused by cross-validation). */
export function vectorsOf(examples: readonly LabeledExample[], settings: FeatureSettings): SparseVector[] {
  return examples.map((e) => messageFeatures(e.text, settings));
}

function head<L extends string>(labels: readonly L[], vectors: readonly SparseVector[], examples: readonly LabeledExample[], pick: (e: LabeledExample) => L | undefined, o: KindTrainOptions): SoftmaxWeights & { labels: L[] } {
  const X: SparseVector[] = [];
  const y: number[] = [];
  const w: number[] = [];
  examples.forEach((e, i) => {
    const label = pick(e);
    if (label === undefined) return;
    X.push(vectors[i] as SparseVector);
    y.push(labels.indexOf(label));
    w.push(e.weight ?? 1);
  });
  return { ...compact(trainSoftmax(X, y, labels.length, { seed: o.seed, ...defaultKindTrainOptions.softmax, ...o.softmax, l2: o.l2 }, w)), labels: [...labels] };
}

/** Weights rounded to 4 decimals and feature columns whose weights all round to 0 dropped: a model file a third the size, the same answers. */
function compact(m: SoftmaxWeights): SoftmaxWeights {
  const C = m.classes;
  const columns: number[] = [];
  const weights: number[] = [];
  const r = (x: number) => Math.round(x * 1e4) / 1e4 || 0;
  m.columns.forEach((col, i) => {
    const row = m.weights.slice(i * C, i * C + C).map(r);
    if (row.every((x) => x === 0)) return;
    columns.push(col);
    weights.push(...row);
  });
  return { columns, weights, bias: m.bias.map(r), classes: C };
}

/** Pairs used by at least two training messages (or one correction). */
function pairsOf(examples: readonly LabeledExample[]): string[] {
  const counts = new Map<string, number>();
  for (const e of examples) if (e.kind && e.sentiment) counts.set(`${e.kind}/${e.sentiment}`, (counts.get(`${e.kind}/${e.sentiment}`) ?? 0) + (e.weight ?? 1));
  return [...counts].filter(([, n]) => n >= 2).map(([p]) => p).sort();
}

/** Stratified folds: example indices dealt round-robin per label after a seeded shuffle. */
export function stratifiedFolds(labels: readonly string[], k: number, seed: number): number[][] {
  const folds: number[][] = Array.from({ length: k }, () => []);
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => byLabel.set(l, [...(byLabel.get(l) ?? []), i]));
  let next = 0;
  for (const key of [...byLabel.keys()].sort()) {
    for (const i of shuffled(byLabel.get(key) as number[], seededRandom(seed + key.length * 7919))) {
      (folds[next % k] as number[]).push(i);
      next++;
    }
  }
  return folds.map((f) => f.sort((a, b) => a - b));
}

/**
 * The threshold on the top kind probability below which the answer is 'other': the highest one
 * whose accuracy (on out-of-fold predictions) is within `tolerance` of the best. 'Other' is a class
 * of its own, so the best threshold on the corpus is often 0; a little tolerance buys an honest
 * "unsure" for messages unlike anything in it.
 */
export function bestOtherThreshold(probabilities: readonly number[][], truth: readonly Kind[], tolerance = 0.005): number {
  const other = kinds.indexOf('other');
  const accuracy: [number, number][] = [];
  for (let step = 0; step <= 32; step++) {
    const t = step * 0.025;
    let correct = 0;
    probabilities.forEach((p, i) => {
      const top = p.indexOf(Math.max(...p));
      const k = (p[top] as number) < t ? other : top;
      if (kinds[k] === truth[i]) correct++;
    });
    accuracy.push([t, correct / Math.max(1, truth.length)]);
  }
  const best = Math.max(...accuracy.map(([, a]) => a));
  return Math.round(Math.max(...accuracy.filter(([, a]) => a >= best - tolerance).map(([t]) => t)) * 1000) / 1000;
}

export function trainKindModelOn(examples: readonly LabeledExample[], vectors: readonly SparseVector[], options: Partial<KindTrainOptions> = {}): KindModel {
  const o = { ...defaultKindTrainOptions, ...options };
  const withKind = examples.map((e, i) => ({ e, i })).filter((x) => x.e.kind !== undefined);
  let otherThreshold = 0;
  if (o.thresholdFolds > 1 && withKind.length >= o.thresholdFolds * 6) {
    const folds = stratifiedFolds(withKind.map((x) => x.e.kind as string), o.thresholdFolds, o.seed);
    const probabilities: number[][] = [];
    const truth: Kind[] = [];
    for (const fold of folds) {
      const held = new Set(fold);
      const trainIdx = withKind.filter((_, j) => !held.has(j));
      const m = head(kinds, trainIdx.map((x) => vectors[x.i] as SparseVector), trainIdx.map((x) => x.e), (e) => e.kind, o);
      for (const j of fold) {
        const x = withKind[j]!;
        probabilities.push(softmaxProbabilities(m, vectors[x.i] as SparseVector));
        truth.push(x.e.kind as Kind);
      }
    }
    otherThreshold = bestOtherThreshold(probabilities, truth);
  }
  const byLanguage: Record<string, number> = {};
  for (const e of examples) byLanguage[e.lang] = (byLanguage[e.lang] ?? 0) + 1;
  return {
    format: kindModelFormat,
    version: 0,
    seed: o.seed,
    features: o.features,
    l2: o.l2,
    kind: head(kinds, vectors, examples, (e) => e.kind, o),
    sentiment: head(sentimentClasses, vectors, examples, (e) => e.sentiment, o),
    otherThreshold,
    pairs: pairsOf(examples),
    trainedOn: { examples: examples.length, corrections: examples.filter((e) => (e.weight ?? 1) !== 1).length, byLanguage },
  };
}

/** Trains on labeled examples (features computed here). Deterministic for the same examples and seed. */
export function trainKindModel(examples: readonly LabeledExample[], options: Partial<KindTrainOptions> = {}): KindModel {
  const o = { ...defaultKindTrainOptions, ...options };
  return trainKindModelOn(examples, vectorsOf(examples, o.features), o);
}

const pairSets = new WeakMap<KindModel, Set<string>>();

/** Kind and sentiment of one feature vector under a model. */
export function predictKind(model: KindModel, x: SparseVector): KindPrediction {
  const kp = softmaxProbabilities(model.kind, x);
  const sp = softmaxProbabilities(model.sentiment, x);
  const top = kp.indexOf(Math.max(...kp));
  const confidence = kp[top] as number;
  const unsure = confidence < model.otherThreshold;
  const kind = unsure ? 'other' : (model.kind.labels[top] as Kind);
  const pairs = pairSets.get(model) ?? new Set(model.pairs);
  pairSets.set(model, pairs);
  const fits = model.sentiment.labels.map((l) => pairs.has(`${kind}/${l}`));
  const s = fits.some(Boolean) ? sp.reduce((best, v, i) => (fits[i] && (best < 0 || v > (sp[best] as number)) ? i : best), -1) : sp.indexOf(Math.max(...sp));
  const p = (label: SentimentClass) => sp[model.sentiment.labels.indexOf(label)] ?? 0;
  return {
    kind,
    confidence,
    unsure,
    sentiment: model.sentiment.labels[s] as SentimentClass,
    sentimentScore: p('pos') - p('neg'),
    kindProbabilities: Object.fromEntries(model.kind.labels.map((l, i) => [l, kp[i] as number])) as Record<Kind, number>,
  };
}

/** Features and prediction of a text in one call. */
export function classifyMessage(model: KindModel, text: string): KindPrediction {
  return predictKind(model, messageFeatures(text, model.features));
}
