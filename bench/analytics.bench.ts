// Analytics speed on synthetic data: keywords per second over N communications (default 1M),
// k-means and value-tree training over C customers (default 100k), skip-gram training, and
// ml-cart against our CART on the same sample, all in one run. Baselines of the same run: search
// segmentation alone (for keywords) and ml-cart (for the tree).
//   node --import tsx bench/analytics.bench.ts
//   RAPPORT_BENCH_COMMUNICATIONS=1000000 RAPPORT_BENCH_CUSTOMERS=100000 RAPPORT_BENCH_CART_SAMPLE=5000
//   RAPPORT_BENCH_W2V_MESSAGES=100000
import path from 'node:path';
import { kmeans } from 'ml-kmeans';
import { DecisionTreeClassifier as MlCart } from 'ml-cart';
import { cluster } from '../src/analytics/clustering.js';
import { clusteringMatrix, customerFeatures, observationsOf, type CustomerAggregates } from '../src/analytics/customer-features.js';
import { DecisionTreeClassifier } from '../src/analytics/decision-tree.js';
import { addDocument, dfView, emptyDf, messageKeywords } from '../src/analytics/keywords.js';
import { seededRandom, type Random } from '../src/analytics/random.js';
import { segmentWords } from '../src/analytics/segment.js';
import { analyzeText, termsOf } from '../src/analytics/text-terms.js';
import { tiersFromRevenue } from '../src/analytics/value-tiers.js';
import { trainWordVectors, word2vecPreset } from '../src/analytics/word2vec.js';
import { sectionMarkdown, type Bench, type BenchRow, type BenchSection } from './run.js';

const env = (name: string, d: number) => Number(process.env[name] ?? d);

const en = ['refund', 'request', 'order', 'delivery', 'late', 'invoice', 'account', 'login', 'error', 'payment', 'coupon', 'discount', 'shipping', 'address', 'contract', 'renewal', 'support', 'team', 'report', 'dashboard', 'export', 'subscription', 'cancel', 'warehouse', 'package'];
const zh = ['退款', '申请', '订单', '发货', '延迟', '发票', '账号', '登录', '报错', '付款', '优惠券', '折扣', '物流', '地址', '合同', '续约', '客服', '团队', '报表', '导出', '订阅', '取消', '仓库', '包裹', '质量'];

function message(random: Random): string {
  const n = 8 + Math.floor(random() * 25);
  if (random() < 0.5) {
    const words = Array.from({ length: n }, () => (random() < 0.35 ? (['the', 'my', 'is', 'for', 'and', 'still', 'please'][Math.floor(random() * 7)] as string) : (en[Math.floor(random() * en.length)] as string)));
    return `${words.join(' ')}. Order #${Math.floor(random() * 1e5)}, mail me at a${Math.floor(random() * 100)}@x.example`;
  }
  return `${Array.from({ length: n }, () => (random() < 0.3 ? (['的', '了', '我们', '还是', '请问'][Math.floor(random() * 5)] as string) : (zh[Math.floor(random() * zh.length)] as string))).join('')}。`;
}

function customers(n: number, random: Random): CustomerAggregates[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => {
    const orders = Math.floor(random() ** 2 * 40);
    return {
      customerId: String(i),
      lastOrderAt: orders ? new Date(now - random() * 400 * 86_400_000) : null,
      firstOrderAt: orders ? new Date(now - (400 + random() * 800) * 86_400_000) : null,
      orders,
      orders90d: Math.floor(orders * random() * 0.3),
      revenue: orders * (20 + random() * 500),
      communications90d: { email: Math.floor(random() * 12), slack: Math.floor(random() * 6), webhook: Math.floor(random() * 3) },
      negative90d: Math.floor(random() * 3),
      scored90d: 3,
      openIssues: Math.floor(random() ** 3 * 4),
      avgResponseHours: random() * 48,
      responses: 1 + Math.floor(random() * 4),
    };
  });
}

function timed<T>(fn: () => T): { value: T; seconds: number } {
  const t = performance.now();
  const value = fn();
  return { value, seconds: (performance.now() - t) / 1000 };
}

async function measure(): Promise<BenchSection> {
  const nMessages = env('RAPPORT_BENCH_COMMUNICATIONS', 1_000_000);
  const nCustomers = env('RAPPORT_BENCH_CUSTOMERS', 100_000);
  const cartSample = env('RAPPORT_BENCH_CART_SAMPLE', 5000);
  const w2vMessages = Math.min(nMessages, env('RAPPORT_BENCH_W2V_MESSAGES', 100_000));
  const random = seededRandom(1);
  const rows: BenchRow[] = [];
  const row = (name: string, seconds: number, perSecond: number | string, ratio: number | null, note?: string): BenchRow =>
    ({ name, values: { seconds, 'per second': perSecond }, ratio, ...(note ? { note } : {}) });

  // Keywords: text pipeline + incremental DF + TF-IDF per message, against search segmentation alone.
  segmentWords('warm 发货');
  analyzeText('warm up 发货');
  const texts = Array.from({ length: Math.min(nMessages, 50_000) }, () => message(random));
  const at = (i: number) => texts[i % texts.length] as string;
  const base = timed(() => {
    for (let i = 0; i < nMessages; i++) segmentWords(at(i));
  });
  rows.push(row(`search segmentation (segmentWords) × ${nMessages} messages`, base.seconds, nMessages / base.seconds, null, 'baseline for keywords'));
  const df = emptyDf();
  const sentences: string[][] = [];
  const kw = timed(() => {
    for (let i = 0; i < nMessages; i++) {
      const { chunks } = analyzeText(at(i));
      const terms = termsOf(chunks);
      addDocument(df, terms);
      messageKeywords(terms, dfView(df), { limit: 8 });
      if (i < w2vMessages) sentences.push(chunks.flat());
    }
  });
  rows.push(row(`keywords (language, wink-nlp/jieba, DF update, TF-IDF) × ${nMessages}`, kw.seconds, nMessages / kw.seconds, base.seconds / kw.seconds, `messages/s; ${df.counts.size} distinct terms`));

  // Skip-gram on the first messages, with the preset for that corpus size.
  const tokens = sentences.reduce((s, x) => s + x.length, 0);
  const preset = word2vecPreset(tokens);
  const w2v = timed(() => trainWordVectors(sentences, { ...preset, seed: 1 }));
  rows.push(row(`skip-gram training × ${w2vMessages} messages`, w2v.seconds, w2vMessages / w2v.seconds, (w2vMessages / w2v.seconds) / (nMessages / base.seconds),
    `messages/s vs the segmentation baseline; ${tokens} tokens, ${preset.dimensions} dims, ${preset.epochs} epochs`));

  // Segments over nCustomers: ml-kmeans alone is the baseline; ours adds silhouette, k choice, balancing.
  const aggs = customers(nCustomers, random);
  const raw = aggs.map((a) => customerFeatures(a, new Date()));
  const { matrix } = clusteringMatrix(raw, observationsOf(aggs));
  const plain = timed(() => kmeans(matrix, 5, { seed: 1, initialization: 'kmeans++' }));
  rows.push(row(`ml-kmeans k=5 × ${nCustomers} customers × 11 features`, plain.seconds, nCustomers / plain.seconds, null, 'baseline for segments'));
  const km = timed(() => cluster(matrix, { k: 5, seed: 1, silhouetteSample: 1000 }));
  rows.push(row(`segments, k=5 (+ silhouette on 1k sample) × ${nCustomers}`, km.seconds, nCustomers / km.seconds, plain.seconds / km.seconds));
  const chosen = timed(() => cluster(matrix, { k: { min: 2, max: 8 }, seed: 1, silhouetteSample: 1000 }));
  rows.push(row(`segments, k chosen in 2..8 (silhouette among stable ks) × ${nCustomers}`, chosen.seconds, nCustomers / chosen.seconds, plain.seconds / chosen.seconds, `k=${chosen.value.k}`));
  const bal = timed(() => cluster(matrix, { k: 5, seed: 1, balanced: true, silhouetteSample: 1000 }));
  rows.push(row(`segments, balanced k=5 × ${nCustomers}`, bal.seconds, nCustomers / bal.seconds, plain.seconds / bal.seconds));

  // Value tree: ml-cart on a sample is the baseline; ours on the same sample and on everything.
  const tiers = tiersFromRevenue(aggs.map((a) => a.revenue));
  const y = tiers.map((t) => ['low', 'medium', 'high'].indexOf(t));
  const sampleX = raw.slice(0, cartSample);
  const sampleY = y.slice(0, cartSample);
  const ml = timed(() => new MlCart({ maxDepth: 6 }).train(sampleX, sampleY));
  rows.push(row(`ml-cart (gini, depth 6) × ${cartSample} customers`, ml.seconds, cartSample / ml.seconds, null, 'baseline for the tree'));
  const oursSample = timed(() => new DecisionTreeClassifier({ maxDepth: 6 }).train(sampleX, sampleY));
  rows.push(row(`our CART (gini, depth 6) × ${cartSample} customers`, oursSample.seconds, cartSample / oursSample.seconds, ml.seconds / oursSample.seconds));
  const ours = timed(() => new DecisionTreeClassifier({ maxDepth: 6 }).train(raw, y));
  rows.push(row(`our CART (gini, depth 6) × ${nCustomers} customers`, ours.seconds, nCustomers / ours.seconds, (nCustomers / ours.seconds) / (cartSample / ml.seconds), 'rows/s vs ml-cart rows/s'));

  return {
    title: `Analytics: ${nMessages.toLocaleString('en-US')} communications, ${nCustomers.toLocaleString('en-US')} customers (synthetic)`,
    about: `Pure analytics, no database, on generated data (half English, half Chinese messages of 8–33 words; customers with skewed orders). Sizes: \`RAPPORT_BENCH_COMMUNICATIONS\` (default 1,000,000), \`RAPPORT_BENCH_CUSTOMERS\` (100,000), \`RAPPORT_BENCH_CART_SAMPLE\` (5,000: ml-cart grows ~n²), \`RAPPORT_BENCH_W2V_MESSAGES\` (100,000). Ratios are speed ratios (> 1: faster than the baseline).`,
    baseline: 'search segmentation for keywords and word vectors; ml-kmeans alone for segments; ml-cart on the sample for the tree',
    columns: ['seconds', 'per second'],
    rows,
  };
}

export const bench: Bench = { name: 'analytics', run: measure };

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log(sectionMarkdown(await measure()));
}
