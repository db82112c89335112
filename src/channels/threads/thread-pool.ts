// A pool of worker threads running one task module (piscina): started on first use, idle threads
// exit after a minute, and every run has a deadline — a run past it is cut off (its thread is
// terminated; synchronous code cannot be interrupted otherwise) and reported as 'timeout'.
import { Piscina } from 'piscina';

export interface ThreadPool<In, Out> {
  run(input: In, opts: { timeoutMs: number }): Promise<Out | 'timeout'>;
  /** Stops the threads: at once (runs under way fail), or with `graceful` after the runs under way. */
  close(opts?: { graceful?: boolean }): Promise<void>;
}

export interface ThreadPoolLimits {
  /**
   * V8's young generation of each thread, in MB (node's default is 16 MB per semi-space, ~48 MB):
   * a thread that makes many small short-lived objects keeps that much resident mostly as garbage.
   */
  youngGenerationMb?: number;
  /** V8's old generation of each thread, in MB: past it the thread fails (out of memory). */
  oldGenerationMb?: number;
}

export function createThreadPool<In, Out>(task: 'analysis' | 'parse-email', threads: number, options: unknown, limits: ThreadPoolLimits = {}): ThreadPool<In, Out> {
  let pool: Piscina | null = null;
  const piscina = () =>
    (pool ??= new Piscina({
      filename: new URL('./worker.mjs', import.meta.url).href,
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 60_000,
      workerData: { task, options },
      resourceLimits: {
        ...(limits.youngGenerationMb ? { maxYoungGenerationSizeMb: limits.youngGenerationMb } : {}),
        ...(limits.oldGenerationMb ? { maxOldGenerationSizeMb: limits.oldGenerationMb } : {}),
      },
    }));
  return {
    async run(input, opts) {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), opts.timeoutMs);
      try {
        return (await piscina().run(input, { signal: abort.signal })) as Out;
      } catch (e) {
        if (abort.signal.aborted) return 'timeout';
        throw e;
      } finally {
        clearTimeout(timer);
      }
    },
    async close(opts = {}) {
      const p = pool;
      pool = null;
      await (opts.graceful ? p?.close() : p?.destroy());
    },
  };
}
