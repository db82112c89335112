// Latency measured from a thread of its own. The bench process holds what it generated (a million
// communications) and collects that garbage now and then; a caller on its main thread would count
// those pauses, several milliseconds each, as the service's time. A worker thread has a heap and
// a collector of its own, so its timings are the service's answer time over loopback HTTP.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { call, lookupQueries, measureLatency, signedLookup, type Latency } from './lookups.js';

export type CallPlan =
  /** GET url/healthz. */
  | { kind: 'healthz'; url: string }
  /**
   * Signed `/crm lookup` i to urls[i mod urls.length], of the generated customer `offset + i` (or
   * `i mod repeat` when set: the same customers again and again), by email or by name.
   */
  | { kind: 'lookup'; urls: string[]; responseUrl: string; customers: number; by: 'email' | 'name'; offset?: number; repeat?: number };

interface Job {
  plan: CallPlan;
  n: number;
  concurrency: number;
}

/** `n` calls of `plan` by `concurrency` callers at once, from a new worker thread (see measureLatency). */
export function measureInThread(plan: CallPlan, n: number, concurrency = 1): Promise<Latency> {
  // Worker threads do not inherit the TypeScript loader: the thread registers it, then loads this file.
  const entry = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(entry, { eval: true, workerData: { plan, n, concurrency } satisfies Job });
  return new Promise((resolve, reject) => {
    worker.once('message', (l: Latency) => resolve(l));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`bench: the caller thread exited (${code}) without a result`)));
  });
}

function caller(plan: CallPlan): (i: number) => Promise<void> {
  if (plan.kind === 'healthz') {
    return async () => {
      const res = await call(`${plan.url}/healthz`);
      if (res.status !== 200) throw new Error(`bench: /healthz answered ${res.status}`);
    };
  }
  const queries = lookupQueries(plan.customers)[plan.by];
  return (i) => signedLookup(plan.urls[i % plan.urls.length]!, plan.responseUrl, queries(plan.repeat ? i % plan.repeat : (plan.offset ?? 0) + i), i);
}

if (!isMainThread && parentPort) {
  const job = workerData as Job;
  parentPort.postMessage(await measureLatency(job.n, caller(job.plan), job.concurrency));
}
