// Analysis off the event loop: worker threads (piscina) run content analysis for the capture
// worker, so an HTTP request never waits behind tokenizing someone's 100 kB email. Every message
// has a time budget: a chunk that overruns its deadline is cut off (its thread is terminated) and
// its messages are analyzed one by one, each within the budget; one that still overruns gets no
// analysis — the caller stores it with its language only and a flag.
// The language models (jieba's dictionary twice — with and without the user words —, wink-nlp's
// English model, the kind model: ~150 MB a thread) live in the threads only: with threads, the main
// thread never analyzes, so the process holds one copy per thread and none more. A small batch (a
// trickle of webhooks) goes to one thread; a batch is split across threads only when each part
// has at least `splitChars` of text.
// Threads start on first use (and are warmed before any deadline counts: loading the models takes
// a second) and exit after a minute idle, so an idle service holds none.
import type { AnalyzeOptions, ContentAnalysis } from '../../analytics/analyze-message.js';
import { analyzeContent } from '../../analytics/analyze-message.js';
import { nameWords, type KnownNames } from '../../analytics/names.js';
import type { Logger } from '../../log.js';
import type { AnalysisJob, NameWordsJob } from './analysis-task.js';
import { createThreadPool } from './thread-pool.js';

export type { AnalysisJob } from './analysis-task.js';

export interface AnalysisPool {
  /** One result per job, in order; null where the job overran its budget. */
  analyze(jobs: AnalysisJob[]): Promise<(ContentAnalysis | null)[]>;
  /** New options (a newly promoted kind model): threads started from now on get them. */
  setOptions?(options: AnalyzeOptions): Promise<void>;
  /**
   * The words of names to leave out of keywords (names.ts), computed where the models are: in a
   * thread when there are threads, so the main thread does not load jieba for them.
   */
  nameWords?(known: KnownNames): Promise<ReadonlySet<string>>;
  close(): Promise<void>;
}

export interface AnalysisPoolOptions {
  /** Worker threads; 0 analyzes on the calling thread (no budget then). */
  threads: number;
  /** Time a single message may take, in ms. */
  budgetMs: number;
  /**
   * Text (characters) a thread gets at least before a batch is split across more threads: a
   * trickle keeps one thread busy (and started) instead of all of them.
   */
  splitChars?: number;
  /** Messages the threads analyze before fresh threads replace them (default 100,000; see below). */
  recycleAfter?: number;
  options: AnalyzeOptions;
  log: Logger;
}

const warmUp: AnalysisJob[] = [{ subject: 'Warm up', text: 'Loading the models: 预热模型，加载词典。' }];

/**
 * Analysis makes many small short-lived objects (tokens, terms): an 8 MB young generation instead of
 * node's ~48 MB, and an old generation bounded at 256 MB (8× what a thread holds live; input is
 * bounded, text-bounds.ts), keep ~60 MB less per thread resident, for the same CPU time (measured on
 * the capture bench's messages). V8 otherwise lets garbage grow far past the live heap.
 */
const limits = { youngGenerationMb: 8, oldGenerationMb: 256 };

/**
 * Messages a pool's threads analyze before they are replaced by fresh ones. wink-nlp gives every
 * unknown word (a number, an order id, a typo) an entry in its vocabulary for good — ~50 bytes a
 * message on the capture bench's mail, ~50 MB a million —, so a thread that never idles would grow
 * without bound; a fresh thread costs a second of loading, ~1% of the time 100,000 messages take.
 */
const defaultRecycleAfter = 100_000;

/** A chunk's deadline: generous — it only has to catch a message that will not finish. */
const chunkDeadline = (budgetMs: number, jobs: number) => 5 * budgetMs + 5 * jobs;

export function createAnalysisPool(opts: AnalysisPoolOptions): AnalysisPool {
  let options = opts.options;
  if (opts.threads <= 0) {
    return {
      analyze: async (jobs) => jobs.map((j) => analyzeContent(j.subject, j.text, options)),
      setOptions: async (next) => void (options = next),
      nameWords: async (known) => nameWords(known),
      close: async () => {},
    };
  }
  let pool = createThreadPool<AnalysisJob[] | NameWordsJob, ContentAnalysis[]>('analysis', opts.threads, options, limits);
  // Threads started with their models loaded (the first analysis in a thread loads wink-nlp and
  // jieba: a second, not to be counted against a message's budget), as many as a batch uses; reset
  // when a thread was terminated for overrunning.
  let warm: Promise<void>[] = [];
  const ready = (threads: number) => {
    while (warm.length < threads) warm.push(pool.run(warmUp, { timeoutMs: 300_000 }).then(() => undefined));
    return Promise.all(warm.slice(0, threads));
  };
  const run = async (jobs: AnalysisJob[], timeoutMs: number, threads: number) => {
    await ready(threads);
    const out = await pool.run(jobs, { timeoutMs });
    if (out === 'timeout') warm = [];
    return out;
  };

  const splitChars = opts.splitChars ?? 16_000;
  let analyzed = 0;
  /**
   * New threads from now on; the old ones finish what they run and go first: until they are gone,
   * analysis waits. A new thread loads the models (~150 MB): old and new side by side raised the
   * process's peak by ~20 MB at each recycle of a 1,000,000-message capture.
   */
  let renewing: Promise<void> | null = null;
  const renew = (): Promise<void> =>
    (renewing ??= (async () => {
      const old = pool;
      pool = createThreadPool<AnalysisJob[] | NameWordsJob, ContentAnalysis[]>('analysis', opts.threads, options, limits);
      warm = [];
      analyzed = 0;
      await old.close({ graceful: true });
    })().finally(() => {
      renewing = null;
    }));
  return {
    async analyze(jobs) {
      if (jobs.length === 0) return [];
      await renewing?.catch(() => {});
      const chars = jobs.reduce((n, j) => n + j.text.length + (j.subject?.length ?? 0), 0);
      const parts = split(jobs, Math.max(1, Math.min(opts.threads, Math.floor(chars / splitChars))));
      const out: (ContentAnalysis | null)[] = new Array(jobs.length).fill(null);
      await Promise.all(
        parts.map(async ({ start, part }) => {
          let results = await run(part, chunkDeadline(opts.budgetMs, part.length), parts.length).catch((e: unknown) => {
            warm = [];
            opts.log.warn({ err: e }, 'analysis thread failed; analyzing on the main thread');
            return part.map((j) => analyzeContent(j.subject, j.text, options));
          });
          if (results === 'timeout') {
            const single: (ContentAnalysis | null)[] = [];
            for (const job of part) {
              const r = await run([job], opts.budgetMs, 1);
              single.push(r === 'timeout' ? null : r[0]!);
            }
            const overran = single.filter((r) => r === null).length;
            if (overran > 0) opts.log.warn({ messages: overran, budgetMs: opts.budgetMs }, 'analysis over its time budget; stored without it');
            results = single as ContentAnalysis[];
          }
          results.forEach((r, i) => (out[start + i] = r ?? null));
        }),
      );
      analyzed += jobs.length;
      if (analyzed >= (opts.recycleAfter ?? defaultRecycleAfter)) void renew().catch((e: unknown) => opts.log.warn({ err: e }, 'analysis threads: closing the old ones failed'));
      return out;
    },
    async setOptions(next) {
      // Threads carry their options from their start: the old pool finishes and goes.
      options = next;
      await renew();
    },
    async nameWords(known) {
      await renewing?.catch(() => {});
      const out = (await pool.run({ nameWords: known }, { timeoutMs: 300_000 })) as ContentAnalysis[] | string[] | 'timeout';
      // A thread that cannot answer in minutes: the names are computed here rather than not at all.
      return out === 'timeout' ? nameWords(known) : new Set(out as string[]);
    },
    close: () => pool.close(),
  };
}

/** Up to `n` contiguous chunks of about equal text length. */
function split(jobs: AnalysisJob[], n: number): { start: number; part: AnalysisJob[] }[] {
  const sizes = jobs.map((j) => (j.subject?.length ?? 0) + j.text.length + 50);
  const total = sizes.reduce((a, b) => a + b, 0);
  const target = total / Math.min(n, jobs.length);
  const out: { start: number; part: AnalysisJob[] }[] = [];
  let start = 0;
  let acc = 0;
  for (let i = 0; i < jobs.length; i++) {
    acc += sizes[i]!;
    if (acc >= target && out.length < n - 1) {
      out.push({ start, part: jobs.slice(start, i + 1) });
      start = i + 1;
      acc = 0;
    }
  }
  if (start < jobs.length) out.push({ start, part: jobs.slice(start) });
  return out;
}
