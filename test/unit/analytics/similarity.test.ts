import { describe, expect, it } from 'vitest';
import { addDocument, dfView, emptyDf } from '../../../src/analytics/keywords.js';
import { seededRandom } from '../../../src/analytics/random.js';
import { createVectorizer, mostSimilar } from '../../../src/analytics/similarity.js';
import { analyzeText, termsOf } from '../../../src/analytics/text-terms.js';
import {
  deserializeWordVectors, nearestWords, serializeWordVectors, trainWordVectors,
} from '../../../src/analytics/word2vec.js';
import { precisionAt5, trainCorpusVectors } from './helpers/paraphrase-eval.js';

// A corpus where "refund" and "reimbursement" (退款/退钱) appear in the same contexts, "invoice"
// in others: skip-gram must put the first pair together.
function contextCorpus(seed: number): string[][] {
  const random = seededRandom(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)] as T;
  const out: string[][] = [];
  for (let i = 0; i < 1500; i++) {
    if (random() < 0.5) out.push(['customer', 'want', pick(['refund', 'reimbursement']), 'money', 'back', 'card']);
    else out.push(['accounting', 'need', pick(['invoice', 'receipt']), 'pdf', 'tax', 'copy']);
    out.push(['客户', '申请', pick(['退款', '退钱']), '原路', '返回']);
  }
  return out;
}

describe('skip-gram word vectors', () => {
  it('put words used in the same contexts together, in English and Chinese', () => {
    const model = trainWordVectors(contextCorpus(1), { dimensions: 16, epochs: 5, sample: 0, seed: 1 });
    const sim = (a: string, b: string) => nearestWords(model, a, model.words.length).find((w) => w.word === b)?.similarity ?? -1;
    expect(sim('refund', 'reimbursement')).toBeGreaterThan(sim('refund', 'invoice') + 0.3);
    expect(sim('invoice', 'receipt')).toBeGreaterThan(sim('invoice', 'reimbursement') + 0.3);
    expect(sim('退款', '退钱')).toBeGreaterThan(sim('退款', 'receipt') + 0.3);
  });

  it('are deterministic for a seed and survive serialization', () => {
    const a = trainWordVectors(contextCorpus(2), { dimensions: 8, epochs: 1, seed: 9 });
    const b = trainWordVectors(contextCorpus(2), { dimensions: 8, epochs: 1, seed: 9 });
    const c = trainWordVectors(contextCorpus(2), { dimensions: 8, epochs: 1, seed: 10 });
    expect(Array.from(a.vectors)).toEqual(Array.from(b.vectors));
    expect(Array.from(a.vectors)).not.toEqual(Array.from(c.vectors));
    const back = deserializeWordVectors(JSON.parse(JSON.stringify(serializeWordVectors(a))));
    expect(back.words).toEqual(a.words);
    expect(Array.from(back.vectors)).toEqual(Array.from(a.vectors));
  });
});

describe('similar communications', () => {
  it('rank the paraphrase of a message first, for free text in English and Chinese', () => {
    const texts = [
      'I would like a refund for my last order.', 'The app crashes when I open it.', 'Please send me the invoice.',
      '我想申请退款。', '应用一打开就闪退。', '请把发票发给我。',
    ];
    const model = trainCorpusVectors();
    const df = emptyDf();
    const docs = texts.map((t) => termsOf(analyzeText(t).chunks));
    for (const d of docs) addDocument(df, d);
    const v = createVectorizer(model, dfView(df));
    const candidates = docs.map((d, id) => ({ id, vector: v.vectorize(d) }));
    const query = (t: string) => mostSimilar(v.vectorize(termsOf(analyzeText(t).chunks)), candidates, { limit: 1 })[0]?.id;
    expect(query('Can I get my money back for the order?')).toBe(0);
    expect(query('Your mobile app keeps crashing')).toBe(1);
    expect(query('退款多久能到账？')).toBe(3);
    expect(query('软件老是闪退')).toBe(4);
  });

  it('reach precision@5 on the labeled paraphrase set above TF-IDF alone', () => {
    const model = trainCorpusVectors(42);
    const blended = { en: precisionAt5(model, { vectorWeight: 0.5 }, 'en'), zh: precisionAt5(model, { vectorWeight: 0.5 }, 'zh') };
    const tfidfOnly = { en: precisionAt5(model, { vectorWeight: 0 }, 'en'), zh: precisionAt5(model, { vectorWeight: 0 }, 'zh') };
    const vectorsOnly = { en: precisionAt5(model, { vectorWeight: 1 }, 'en'), zh: precisionAt5(model, { vectorWeight: 1 }, 'zh') };
    console.log('precision@5', JSON.stringify({ blended, tfidfOnly, vectorsOnly }));
    expect(blended.en).toBeGreaterThanOrEqual(0.55);
    expect(blended.zh).toBeGreaterThanOrEqual(0.5);
    expect(blended.en + blended.zh).toBeGreaterThan(tfidfOnly.en + tfidfOnly.zh);
  });
});
