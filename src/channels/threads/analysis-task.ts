// What one analysis worker thread runs: content analysis (language, terms, sentiment, kind, search
// words) of a list of messages, or the words of the names keywords leave out (Chinese names are
// tagged by jieba, which the thread holds anyway). The options — user words, kind rules — come
// once, as the pool's workerData, so a task carries only the texts.
import { workerData } from 'node:worker_threads';
import { analyzeContent, type AnalyzeOptions, type ContentAnalysis } from '../../analytics/analyze-message.js';
import { nameWords, type KnownNames } from '../../analytics/names.js';

export interface AnalysisJob {
  subject?: string | undefined;
  text: string;
}

const options = ((workerData as { options?: AnalyzeOptions } | undefined)?.options ?? {}) as AnalyzeOptions;

export interface NameWordsJob {
  nameWords: KnownNames;
}

export default function analyze(input: AnalysisJob[] | NameWordsJob): ContentAnalysis[] | string[] {
  if (!Array.isArray(input)) return [...nameWords(input.nameWords)];
  return input.map((j) => analyzeContent(j.subject, j.text, options));
}
