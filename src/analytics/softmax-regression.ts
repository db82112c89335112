// Multinomial logistic regression (softmax) over sparse vectors, L2-regularized, fitted by seeded
// SGD. Written here because the maintained JavaScript packages are dense (ml-logistic-regression:
// one-vs-rest over an ml-matrix; see README "Analytics") while text features are tens of thousands
// of sparse columns with a hundred non-zero per message. Same data and seed → same weights.
import type { SparseVector } from './kind-features.js';
import { seededRandom, shuffled } from './random.js';

export interface SoftmaxOptions {
  /** L2 strength λ in  mean(−log p) + λ/2·‖W‖² (bias not regularized). */
  l2: number;
  /** Passes over the examples. */
  epochs: number;
  /** Initial learning rate; it decays as η₀ / (1 + η₀·λ·t). */
  learningRate: number;
  /** Seeds the order of examples in each pass. */
  seed: number;
  /** Features in fewer examples than this get no weight (a smaller model; rare features mostly memorize). */
  minCount: number;
}

export const defaultSoftmaxOptions: SoftmaxOptions = { l2: 1e-4, epochs: 15, learningRate: 0.5, seed: 42, minCount: 1 };

/** A fitted model in plain data: weights are columns × classes, row-major by column. */
export interface SoftmaxWeights {
  /** Feature ids that have a weight row, ascending. */
  columns: number[];
  weights: number[];
  bias: number[];
  classes: number;
}

/**
 * Fits weights to examples (class indices 0..classes−1), optionally weighted per example, by
 * stochastic gradient descent. L2 decay is applied to every weight at every step through a common
 * scale (W = s·V, Bottou's trick), so a step costs only the example's non-zero features.
 */
export function trainSoftmax(X: readonly SparseVector[], y: readonly number[], classes: number, options: Partial<SoftmaxOptions> = {}, sampleWeights?: readonly number[]): SoftmaxWeights {
  const o = { ...defaultSoftmaxOptions, ...options };
  const C = classes;
  const counts = new Map<number, number>();
  for (const x of X) for (const id of x.ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  const columns = [...counts].filter(([, n]) => n >= o.minCount).map(([id]) => id).sort((a, b) => a - b);
  const index = new Map(columns.map((c, i) => [c, i]));
  // Per example: the kept columns and their values.
  const cols: Int32Array[] = [];
  const vals: number[][] = [];
  for (const x of X) {
    const keep = x.ids.map((id, j) => [index.get(id), x.values[j]] as const).filter((p): p is readonly [number, number] => p[0] !== undefined);
    cols.push(Int32Array.from(keep, (p) => p[0]));
    vals.push(keep.map((p) => p[1]));
  }
  const V = new Float64Array(columns.length * C);
  const bias = new Float64Array(C);
  const scores = new Float64Array(C);
  const random = seededRandom(o.seed);
  const order = X.map((_, i) => i);
  let scale = 1;
  let t = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (const i of shuffled(order, random)) {
      const eta = o.learningRate / (1 + o.learningRate * o.l2 * t);
      t++;
      const c = cols[i] as Int32Array;
      const v = vals[i] as number[];
      const sw = sampleWeights?.[i] ?? 1;
      for (let k = 0; k < C; k++) scores[k] = bias[k] as number;
      for (let j = 0; j < c.length; j++) {
        const base = (c[j] as number) * C;
        const x = scale * (v[j] as number);
        for (let k = 0; k < C; k++) scores[k] = (scores[k] as number) + (V[base + k] as number) * x;
      }
      softmaxInPlace(scores);
      scale *= 1 - eta * o.l2;
      for (let k = 0; k < C; k++) {
        const d = sw * ((scores[k] as number) - (k === y[i] ? 1 : 0));
        bias[k] = (bias[k] as number) - eta * d;
        const step = (eta * d) / scale;
        for (let j = 0; j < c.length; j++) {
          const at = (c[j] as number) * C + k;
          V[at] = (V[at] as number) - step * (v[j] as number);
        }
      }
      if (scale < 1e-6) {
        for (let q = 0; q < V.length; q++) V[q] = (V[q] as number) * scale;
        scale = 1;
      }
    }
  }
  return { columns, weights: Array.from(V, (w) => w * scale), bias: Array.from(bias), classes: C };
}

function softmaxInPlace(scores: Float64Array): void {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    scores[k] = Math.exp((scores[k] as number) - max);
    sum += scores[k] as number;
  }
  for (let k = 0; k < scores.length; k++) scores[k] = (scores[k] as number) / sum;
}

const columnIndex = new WeakMap<SoftmaxWeights, Map<number, number>>();

/** Class probabilities of one vector (features the model never saw are ignored). */
export function softmaxProbabilities(model: SoftmaxWeights, x: SparseVector): number[] {
  let index = columnIndex.get(model);
  if (!index) {
    index = new Map(model.columns.map((c, i) => [c, i]));
    columnIndex.set(model, index);
  }
  const C = model.classes;
  const scores = model.bias.slice();
  for (let j = 0; j < x.ids.length; j++) {
    const col = index.get(x.ids[j] as number);
    if (col === undefined) continue;
    const v = x.values[j] as number;
    for (let k = 0; k < C; k++) scores[k] = (scores[k] as number) + (model.weights[col * C + k] as number) * v;
  }
  const max = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
