// What one analysis worker thread runs: content analysis (language, terms, sentiment, kind, search
// words) of a list of messages. The options — user words, kind rules — come once, as the pool's
// workerData, so a task carries only the texts.
import { workerData } from 'node:worker_threads';
import { analyzeContent, type AnalyzeOptions, type ContentAnalysis } from '../../analytics/analyze-message.js';

export interface AnalysisJob {
  subject?: string | undefined;
  text: string;
}

const options = ((workerData as { options?: AnalyzeOptions } | undefined)?.options ?? {}) as AnalyzeOptions;

export default function analyze(jobs: AnalysisJob[]): ContentAnalysis[] {
  return jobs.map((j) => analyzeContent(j.subject, j.text, options));
}
