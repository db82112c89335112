// "Similar past communications": each message becomes the TF-IDF-weighted average of its word
// vectors (normalized), and candidates are ranked by a blend of that cosine and the plain TF-IDF
// cosine. Word vectors bring paraphrases together (退款 ~ 退钱, refund ~ money back) once the corpus
// has taught them; TF-IDF keeps exact shared terms and rare names decisive.
import { tfidf, type DfView } from './keywords.js';
import { wordVectorLookup, type WordVectors } from './word2vec.js';

export interface DocumentVector {
  /** Dense, length 1 (all zeros when no word is known). */
  dense: Float32Array;
  /** Sparse TF-IDF weights, length 1. */
  sparse: Map<string, number>;
}

export interface Vectorizer {
  vectorize(terms: readonly string[]): DocumentVector;
}

export function createVectorizer(model: WordVectors, view: DfView): Vectorizer {
  const lookup = wordVectorLookup(model);
  const D = model.dimensions;
  return {
    vectorize(terms) {
      const weights = tfidf(terms, view, 1);
      const dense = new Float32Array(D);
      for (const [term, w] of weights) {
        // A phrase contributes through its words; their own weights already count them once.
        if (term.includes(' ')) continue;
        const v = lookup(term);
        if (!v) continue;
        for (let k = 0; k < D; k++) dense[k] = (dense[k] as number) + w * (v[k] as number);
      }
      normalize(dense);
      let norm = 0;
      for (const v of weights.values()) norm += v * v;
      norm = Math.sqrt(norm) || 1;
      const sparse = new Map<string, number>();
      for (const [t, v] of weights) sparse.set(t, v / norm);
      return { dense, sparse };
    },
  };
}

function normalize(v: Float32Array): void {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  if (n > 0) for (let k = 0; k < v.length; k++) v[k] = (v[k] as number) / n;
}

export function denseCosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] as number) * (b[k] as number);
  return s;
}

export function sparseCosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [t, v] of small) {
    const w = large.get(t);
    if (w !== undefined) s += v * w;
  }
  return s;
}

export interface SimilarityOptions {
  limit?: number;
  /** Weight of the word-vector cosine; the rest goes to the TF-IDF cosine (default 0.5). */
  vectorWeight?: number;
  /** Below this blended score a candidate is not "similar" (default 0.1). */
  minScore?: number;
}

export interface Candidate<Id> {
  id: Id;
  vector: DocumentVector;
}

export interface SimilarResult<Id> {
  id: Id;
  score: number;
}

/** The candidates most similar to `query`, best first (a candidate equal to `exclude` is skipped). */
export function mostSimilar<Id>(
  query: DocumentVector,
  candidates: Iterable<Candidate<Id>>,
  opts: SimilarityOptions & { exclude?: Id } = {},
): SimilarResult<Id>[] {
  const limit = opts.limit ?? 5;
  const alpha = opts.vectorWeight ?? 0.5;
  const minScore = opts.minScore ?? 0.1;
  const best: SimilarResult<Id>[] = [];
  for (const c of candidates) {
    if (opts.exclude !== undefined && c.id === opts.exclude) continue;
    const score = alpha * denseCosine(query.dense, c.vector.dense) + (1 - alpha) * sparseCosine(query.sparse, c.vector.sparse);
    if (score < minScore) continue;
    if (best.length < limit || score > (best[best.length - 1] as SimilarResult<Id>).score) {
      best.push({ id: c.id, score });
      best.sort((a, b) => b.score - a.score);
      if (best.length > limit) best.pop();
    }
  }
  return best;
}
