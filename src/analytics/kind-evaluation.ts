// How well a kind/sentiment model does: accuracy per language, precision and recall per kind, on a
// labeled set (a holdout) or by k-fold cross-validation over the corpus (each fold's model picks
// its own "other" threshold inside its training part, so nothing of the fold leaks into it).
import { vectorsOf, predictKind, stratifiedFolds, trainKindModelOn, type KindModel, type KindPrediction, type KindTrainOptions, defaultKindTrainOptions } from './kind-model.js';
import type { SparseVector } from './kind-features.js';
import type { LabeledExample } from './kind-corpus.js';
import { kinds } from './kind.js';

export interface PrecisionRecall {
  precision: number;
  recall: number;
  /** Messages labeled with this class. */
  support: number;
}

export interface SetMetrics {
  n: number;
  kindAccuracy: number;
  sentimentAccuracy: number;
  perKind: Record<string, PrecisionRecall>;
  perSentiment: Record<string, PrecisionRecall>;
}

export interface KindMetrics extends SetMetrics {
  byLanguage: Record<string, SetMetrics>;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function precisionRecall(truth: readonly string[], predicted: readonly string[], labels: readonly string[]): Record<string, PrecisionRecall> {
  const out: Record<string, PrecisionRecall> = {};
  for (const l of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    truth.forEach((t, i) => {
      const p = predicted[i];
      if (p === l && t === l) tp++;
      else if (p === l) fp++;
      else if (t === l) fn++;
    });
    out[l] = { precision: round(tp + fp ? tp / (tp + fp) : 0), recall: round(tp + fn ? tp / (tp + fn) : 0), support: tp + fn };
  }
  return out;
}

function setMetrics(examples: readonly LabeledExample[], predictions: readonly KindPrediction[]): SetMetrics {
  const k = examples.map((e, i) => ({ t: e.kind, p: predictions[i]!.kind })).filter((x) => x.t !== undefined) as { t: string; p: string }[];
  const s = examples.map((e, i) => ({ t: e.sentiment, p: predictions[i]!.sentiment })).filter((x) => x.t !== undefined) as { t: string; p: string }[];
  return {
    n: examples.length,
    kindAccuracy: round(k.length ? k.filter((x) => x.t === x.p).length / k.length : 0),
    sentimentAccuracy: round(s.length ? s.filter((x) => x.t === x.p).length / s.length : 0),
    perKind: precisionRecall(k.map((x) => x.t), k.map((x) => x.p), kinds),
    perSentiment: precisionRecall(s.map((x) => x.t), s.map((x) => x.p), ['neg', 'neu', 'pos']),
  };
}

/** Metrics of predictions against labels, overall and per language. */
export function metricsOf(examples: readonly LabeledExample[], predictions: readonly KindPrediction[]): KindMetrics {
  const byLanguage: Record<string, SetMetrics> = {};
  for (const lang of [...new Set(examples.map((e) => e.lang))].sort()) {
    const idx = examples.map((e, i) => (e.lang === lang ? i : -1)).filter((i) => i >= 0);
    byLanguage[lang] = setMetrics(idx.map((i) => examples[i]!), idx.map((i) => predictions[i]!));
  }
  return { ...setMetrics(examples, predictions), byLanguage };
}

/** A model's metrics on a labeled set it was not trained on. */
export function evaluateKindModel(model: KindModel, examples: readonly LabeledExample[], vectors?: readonly SparseVector[]): KindMetrics {
  const v = vectors ?? vectorsOf(examples, model.features);
  return metricsOf(examples, v.map((x) => predictKind(model, x)));
}

/** k-fold cross-validated metrics (stratified by kind, seeded). */
export function crossValidateKinds(examples: readonly LabeledExample[], folds = 5, options: Partial<KindTrainOptions> = {}): KindMetrics & { folds: number } {
  const o = { ...defaultKindTrainOptions, ...options };
  const vectors = vectorsOf(examples, o.features);
  const predictions: KindPrediction[] = new Array(examples.length);
  for (const fold of stratifiedFolds(examples.map((e) => e.kind ?? '-'), folds, o.seed)) {
    const held = new Set(fold);
    const trainIdx = examples.map((_, i) => i).filter((i) => !held.has(i));
    const model = trainKindModelOn(trainIdx.map((i) => examples[i]!), trainIdx.map((i) => vectors[i]!), o);
    for (const i of fold) predictions[i] = predictKind(model, vectors[i]!);
  }
  return { ...metricsOf(examples, predictions), folds };
}
