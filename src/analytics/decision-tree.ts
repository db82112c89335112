// A CART classifier (gini, depth-limited) behind ml-cart's interface — train(X, y), predict(X),
// toJSON(), DecisionTreeClassifier.load(json) — grown level by level over feature columns sorted
// once: each level is one pass per feature over the sorted order, routing every row to its node's
// running class counts, so training is O(n·features·depth) after the O(n log n) sorts.
// ml-cart re-sorts at every candidate split and grows ~n² (50k rows: >12 min on this machine).

export interface TreeOptions {
  maxDepth?: number;
  /** A node with fewer rows becomes a leaf (ml-cart's minNumSamples). */
  minNumSamples?: number;
  /** Smallest gini decrease (weighted by the node's share of rows) worth a split. */
  gainThreshold?: number;
}

export interface TreeNode {
  /** Class counts of the training rows that reached this node. */
  counts: number[];
  prediction: number;
  feature?: number;
  /** Rows with x[feature] < threshold go left. */
  threshold?: number;
  left?: number;
  right?: number;
}

export interface TreeJson {
  name: 'FastCART';
  version: 1;
  options: Required<TreeOptions>;
  classes: number;
  nodes: TreeNode[];
}

const defaults: Required<TreeOptions> = { maxDepth: 6, minNumSamples: 3, gainThreshold: 1e-4 };

export class DecisionTreeClassifier {
  readonly options: Required<TreeOptions>;
  private nodes: TreeNode[] = [];
  private classes = 0;

  constructor(options: TreeOptions = {}) {
    this.options = { ...defaults, ...options };
  }

  static load(json: TreeJson): DecisionTreeClassifier {
    if (json.name !== 'FastCART' || json.version !== 1) throw new Error(`unsupported tree model ${json.name} v${json.version}`);
    const t = new DecisionTreeClassifier(json.options);
    t.nodes = json.nodes;
    t.classes = json.classes;
    return t;
  }

  toJSON(): TreeJson {
    return { name: 'FastCART', version: 1, options: this.options, classes: this.classes, nodes: this.nodes };
  }

  get nodeList(): readonly TreeNode[] {
    return this.nodes;
  }

  /** X: rows × features; y: class indexes 0..C−1. */
  train(X: readonly (readonly number[])[], y: readonly number[]): void {
    const n = X.length;
    if (n === 0 || n !== y.length) throw new Error('training needs as many labels as rows, and at least one row');
    const f = (X[0] as readonly number[]).length;
    const C = Math.max(...y) + 1;
    this.classes = C;
    const cols = Array.from({ length: f }, (_, j) => Float64Array.from(X, (r) => r[j] as number));
    const labels = Int32Array.from(y);
    const sorted = cols.map((col) => {
      const idx = new Int32Array(n);
      for (let i = 0; i < n; i++) idx[i] = i;
      idx.sort((a, b) => (col[a] as number) - (col[b] as number));
      return idx;
    });
    const nodes: TreeNode[] = [{ counts: countClasses(labels, C), prediction: 0 }];
    (nodes[0] as TreeNode).prediction = argmax((nodes[0] as TreeNode).counts);
    const nodeOf = new Int32Array(n); // the open node each row sits in, −1 once its leaf is final
    let open = [0];
    for (let depth = 0; depth < this.options.maxDepth && open.length; depth++) {
      const slot = new Map(open.map((id, s) => [id, s]));
      const totals = open.map((id) => (nodes[id] as TreeNode).counts);
      const sizes = totals.map((c) => c.reduce((a, b) => a + b, 0));
      const best = open.map(() => ({ gain: this.options.gainThreshold, feature: -1, threshold: 0 }));
      const parentGini = totals.map((c, s) => gini(c, sizes[s] as number));
      const left = new Float64Array(open.length * C);
      const leftN = new Float64Array(open.length);
      const last = new Float64Array(open.length);
      for (let j = 0; j < f; j++) {
        left.fill(0);
        leftN.fill(0);
        last.fill(NaN);
        const col = cols[j] as Float64Array;
        for (const i of sorted[j] as Int32Array) {
          const id = nodeOf[i] as number;
          if (id < 0) continue;
          const s = slot.get(id);
          if (s === undefined) continue;
          const v = col[i] as number;
          const size = sizes[s] as number;
          if (leftN[s]! > 0 && v !== last[s] && size >= this.options.minNumSamples) {
            const g = splitGain(left, s * C, C, totals[s] as number[], leftN[s] as number, size, parentGini[s] as number) * (size / n);
            const b = best[s] as { gain: number; feature: number; threshold: number };
            if (g > b.gain) {
              b.gain = g;
              b.feature = j;
              b.threshold = ((last[s] as number) + v) / 2;
            }
          }
          left[s * C + (labels[i] as number)]! += 1;
          leftN[s]! += 1;
          last[s] = v;
        }
      }
      const next: number[] = [];
      const childOf = new Map<number, [number, number]>();
      open.forEach((id, s) => {
        const b = best[s] as { feature: number; threshold: number };
        if (b.feature < 0) return;
        const node = nodes[id] as TreeNode;
        node.feature = b.feature;
        node.threshold = b.threshold;
        node.left = nodes.push({ counts: new Array<number>(C).fill(0), prediction: 0 }) - 1;
        node.right = nodes.push({ counts: new Array<number>(C).fill(0), prediction: 0 }) - 1;
        childOf.set(id, [node.left, node.right]);
        next.push(node.left, node.right);
      });
      for (let i = 0; i < n; i++) {
        const id = nodeOf[i] as number;
        if (id < 0) continue;
        const children = childOf.get(id);
        if (!children) {
          nodeOf[i] = -1;
          continue;
        }
        const node = nodes[id] as TreeNode;
        const child = (cols[node.feature as number] as Float64Array)[i]! < (node.threshold as number) ? children[0] : children[1];
        nodeOf[i] = child;
        (nodes[child] as TreeNode).counts[labels[i] as number]! += 1;
      }
      for (const id of next) (nodes[id] as TreeNode).prediction = argmax((nodes[id] as TreeNode).counts);
      open = next;
    }
    this.nodes = nodes;
  }

  /** The leaf a row ends in, with the nodes on the way (for explanations). */
  path(x: readonly number[]): TreeNode[] {
    if (!this.nodes.length) throw new Error('the tree is not trained');
    const out: TreeNode[] = [];
    let node = this.nodes[0] as TreeNode;
    out.push(node);
    while (node.feature !== undefined) {
      node = this.nodes[(x[node.feature] as number) < (node.threshold as number) ? (node.left as number) : (node.right as number)] as TreeNode;
      out.push(node);
    }
    return out;
  }

  predict(X: readonly (readonly number[])[]): number[] {
    return X.map((x) => (this.path(x).at(-1) as TreeNode).prediction);
  }
}

function countClasses(labels: Int32Array, C: number): number[] {
  const c = new Array<number>(C).fill(0);
  for (const l of labels) c[l]! += 1;
  return c;
}

function argmax(c: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < c.length; i++) if ((c[i] as number) > (c[best] as number)) best = i;
  return best;
}

function gini(counts: ArrayLike<number>, n: number, offset = 0, C = counts.length): number {
  if (n <= 0) return 0;
  let s = 0;
  for (let c = 0; c < C; c++) s += ((counts[offset + c] as number) / n) ** 2;
  return 1 - s;
}

function splitGain(left: Float64Array, offset: number, C: number, total: number[], nl: number, n: number, parent: number): number {
  const nr = n - nl;
  if (nl <= 0 || nr <= 0) return 0;
  let sl = 0;
  let sr = 0;
  for (let c = 0; c < C; c++) {
    const l = left[offset + c] as number;
    sl += (l / nl) ** 2;
    sr += (((total[c] as number) - l) / nr) ** 2;
  }
  return parent - ((nl / n) * (1 - sl) + (nr / n) * (1 - sr));
}
