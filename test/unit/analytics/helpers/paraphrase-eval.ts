// precision@5 of "similar communications" over the paraphrase fixture: every message is a query,
// the other messages the candidates; a hit is a neighbour from the same paraphrase block.
import { addDocument, dfView, emptyDf } from '../../../../src/analytics/keywords.js';
import { createVectorizer, mostSimilar, type SimilarityOptions } from '../../../../src/analytics/similarity.js';
import { analyzeText, termsOf } from '../../../../src/analytics/text-terms.js';
import { trainWordVectors, word2vecPreset, type WordVectors } from '../../../../src/analytics/word2vec.js';
import { labeledMessages, paraphraseGroups } from './fixtures.js';

export function paraphraseCorpus() {
  const groups = paraphraseGroups();
  const items = groups.flatMap((g, group) => g.map((text) => ({ text, group, chunks: analyzeText(text).chunks })));
  const background = [...labeledMessages(), ...labeledMessages('labeled-messages-holdout.tsv')].map((m) => analyzeText(m.text).chunks);
  return { items, background };
}

export function trainCorpusVectors(seed = 42): WordVectors {
  const { items, background } = paraphraseCorpus();
  const sentences = [...items.map((i) => i.chunks.flat()), ...background.map((c) => c.flat())];
  return trainWordVectors(sentences, { ...word2vecPreset(sentences.flat().length), seed });
}

export function precisionAt5(model: WordVectors, opts: SimilarityOptions, language?: 'en' | 'zh'): number {
  const { items, background } = paraphraseCorpus();
  const df = emptyDf();
  for (const i of items) addDocument(df, termsOf(i.chunks));
  for (const b of background) addDocument(df, termsOf(b));
  const vectorizer = createVectorizer(model, dfView(df));
  const candidates = items.map((it, id) => ({ id, vector: vectorizer.vectorize(termsOf(it.chunks)) }));
  const zh = (t: string) => /\p{Script=Han}/u.test(t);
  let sum = 0;
  let queries = 0;
  items.forEach((it, id) => {
    if (language && (language === 'zh') !== zh(it.text)) return;
    const found = mostSimilar(candidates[id]!.vector, candidates, { ...opts, limit: 5, minScore: -1, exclude: id });
    sum += found.filter((f) => items[f.id]!.group === it.group).length / 5;
    queries += 1;
  });
  return sum / queries;
}
