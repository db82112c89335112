// The kind/sentiment classifier's speed on real messages (the corpus, cycled): messages per second
// and milliseconds per message for feature extraction, prediction alone, and the whole
// classification, against tokenization alone (analyzeText: wink-nlp and jieba, what keyword
// extraction does) in the same run. The target is under 1 ms per message on average.
//   npm run bench -- classify            RAPPORT_BENCH_CLASSIFY_MESSAGES (default 20,000)
import { defaultKindModel, kindPaths, readKindCorpus } from '../src/analytics-runner/kind-classifier.js';
import { messageFeatures } from '../src/analytics/kind-features.js';
import { predictKind } from '../src/analytics/kind-model.js';
import { analyzeText } from '../src/analytics/text-terms.js';
import type { Bench, BenchRow } from './run.js';

function timed(texts: readonly string[], fn: (t: string) => unknown): number {
  const t0 = performance.now();
  for (const t of texts) fn(t);
  return (performance.now() - t0) / 1000;
}

export const bench: Bench = {
  name: 'classify',
  async run() {
    const n = Number(process.env.RAPPORT_BENCH_CLASSIFY_MESSAGES ?? 20_000);
    const corpus = readKindCorpus(kindPaths.train).map((e) => e.text);
    const texts = Array.from({ length: n }, (_, i) => corpus[i % corpus.length] as string);
    const model = defaultKindModel();
    // Warm up: load wink-nlp, jieba and OpenCC, and let the JIT settle.
    for (const t of corpus.slice(0, 300)) predictKind(model, messageFeatures(t, model.features));
    const tokenize = timed(texts, (t) => analyzeText(t));
    const features = timed(texts, (t) => messageFeatures(t, model.features));
    const vectors = texts.slice(0, Math.min(n, corpus.length)).map((t) => messageFeatures(t, model.features));
    const t0 = performance.now();
    for (let i = 0; i < n; i++) predictKind(model, vectors[i % vectors.length]!);
    const predictOnly = (performance.now() - t0) / 1000;
    const classify = timed(texts, (t) => predictKind(model, messageFeatures(t, model.features)));
    const row = (name: string, seconds: number, note?: string): BenchRow => ({
      name,
      values: { 'messages/s': n / seconds, 'ms/message': (seconds * 1000) / n },
      ratio: name.startsWith('tokenization') ? null : tokenize / seconds,
      ...(note ? { note } : {}),
    });
    return {
      title: 'Kind and sentiment classification',
      about: `${n.toLocaleString('en-US')} messages: the ${corpus.length.toLocaleString('en-US')} of corpus/kinds/train.tsv (half English, half Chinese) cycled; the committed default model (${model.kind.columns.length.toLocaleString('en-US')} feature columns). No database. Size: \`RAPPORT_BENCH_CLASSIFY_MESSAGES\`. Ratios are speed ratios (> 1: faster than tokenization alone).`,
      baseline: 'tokenization alone (analyzeText: wink-nlp for English, jieba for Chinese, as keyword extraction does), same messages, same run',
      columns: ['messages/s', 'ms/message'],
      rows: [
        row('tokenization alone (analyzeText)', tokenize),
        row('classifier features (tokens, bigrams, character n-grams, cues, lexicon sentiment)', features),
        row('prediction alone (two softmax heads over the sparse vector)', predictOnly),
        row('classification (features + prediction)', classify, 'what capture adds per message'),
      ],
    };
  },
};
