// The capture worker: drains the inbox in arrival order, a batch at a time. Per batch: the payloads
// are read, analyzed in worker threads (outside any transaction), then one transaction locks the
// rows still pending, computes keywords against the document frequencies of the batch's terms,
// runs the set-based pipeline (src/core/capture-pipeline.ts), adds the batch's document
// frequencies and records every message's outcome. Alerts run after commit.
//
// Failures: the database going away stops the batch and the loop backs off (nothing is touched, so
// nothing is lost). Any other error splits the batch in halves until the one bad message is found;
// it is retried with backoff and, after `maxAttempts`, parked as `failed` with its reason — the
// others are captured meanwhile.
//
// One worker drains at a time across instances: the one holding the leader lock (see
// worker-leadership.ts). A batch also takes a transaction lock and re-checks its rows, so even two
// leaders (a lock lost with its connection) never capture a message twice.
import { sql } from 'drizzle-orm';
import { keywordsOf, withoutNames, type AnalyzeOptions } from '../analytics/analyze-message.js';
import { captureBatch, languageOnly, rejectedResult, type Analysis, type CaptureItem, type CapturePipelineOptions } from '../core/capture-pipeline.js';
import { RapportError } from '../core/errors.js';
import { fromInboxPayload } from '../core/inbound-json.js';
import type { CaptureResult, InboundMessage } from '../core/inbound-message.js';
import type { Logger } from '../log.js';
import { addDocumentFrequencies, dfViewFor } from '../store/analytics-repo.js';
import { captureStore } from '../store/capture-store.js';
import { isDatabaseUnavailable } from '../store/database-errors.js';
import type { Db } from '../store/database.js';
import { duePending, inboxEntries, lockStillPending, recordInboxFailure, settleInbox, type InboxEntry, type Settlement } from '../store/inbox-repo.js';
import { capturedResults } from '../store/inbox-results.js';
import type { AnalysisPool } from './threads/analysis-pool.js';
import type { Leadership } from './worker-leadership.js';
import { keepRecent } from '../core/recent-map.js';

export interface CaptureWorkerOptions {
  db: Db;
  log: Logger;
  pipeline: CapturePipelineOptions;
  analysis: AnalysisPool;
  /** Names to leave out of terms and keywords (customers, companies, staff), read now and then. */
  names?: () => Promise<ReadonlySet<string>>;
  /** The analysis options now (the live kind model); `changed` when the pool must take new ones. */
  analysisOptions?: () => Promise<{ options: AnalyzeOptions; changed: boolean }>;
  leadership: Leadership;
  /** After each committed batch, with what was created (alerts). Failures are logged, never undo. */
  afterCommit?: ((results: CaptureResult[]) => Promise<void>) | null;
  /**
   * Awaited after each committed batch, before anyone waiting for it (settle) hears of it: what must
   * never lag behind a capture, such as dropping cached customer cards. Failures are logged.
   */
  committed?: (results: CaptureResult[]) => Promise<void>;
  batchSize?: number;
  /**
   * After a batch smaller than `batchSize`, how long the running worker lets more messages gather
   * before it reads the next one (ms; 0 = none). A batch costs about the same for 1 message as for
   * 50, so under a steady stream of webhooks this turns many tiny batches into a few larger ones.
   * Explicit drain()/settle() never wait for it.
   */
  lingerMs?: number;
  /** How often an idle worker looks for work it was not told about (another instance's appends). */
  pollMs?: number;
  /**
   * True while this process is busy accepting (a burst of webhooks): the running worker then waits
   * before each batch, up to `yieldMaxMs`, so accepting gets the CPU; the inbox holds what arrives
   * meanwhile. Explicit drain()/settle() never wait for it.
   */
  busy?: () => boolean;
  yieldMaxMs?: number;
  maxAttempts?: number;
  /** Delay before retry n (1-based). */
  retryDelayMs?: (attempt: number) => number;
}

export interface DrainSummary {
  messages: number;
}

export interface CaptureWorker {
  /** Starts the background loop (serve). */
  start(): void;
  /** Stops the loop after the batch under way. */
  stop(): Promise<void>;
  /** Something was appended: look now. */
  wake(): void;
  /** Captures everything due now, in this process (one-shot commands); needs the leader lock. */
  drain(): Promise<DrainSummary>;
  /**
   * Waits until these inbox ids are settled and returns what each became (a message that failed gets
   * status 'rejected' with the reason). Drains in this process meanwhile when it may.
   */
  settle(ids: string[], timeoutMs?: number): Promise<CaptureResult[]>;
}

const LOCK_KEY = 'rapport:capture-worker';
const defaultRetryDelay = (attempt: number) => Math.min(5_000 * 2 ** (attempt - 1), 15 * 60_000);

export function createCaptureWorker(opts: CaptureWorkerOptions): CaptureWorker {
  const { db, log } = opts;
  const batchSize = opts.batchSize ?? 500;
  const pollMs = opts.pollMs ?? 500;
  const lingerMs = opts.lingerMs ?? 0;
  const yieldMaxMs = opts.yieldMaxMs ?? 0;
  /** Callers in drain() or settle(): someone waits for capture, so the running loop does not step aside. */
  let waiting = 0;
  /** The running loop's wait before a batch while the process is busy accepting. */
  const yieldToAccepts = async (): Promise<void> => {
    if (!opts.busy || yieldMaxMs <= 0) return;
    const until = performance.now() + yieldMaxMs;
    while (running && waiting === 0 && opts.busy() && performance.now() < until) await pause(Math.min(50, Math.max(1, until - performance.now())));
  };
  const maxAttempts = opts.maxAttempts ?? 5;
  const retryDelay = opts.retryDelayMs ?? defaultRetryDelay;
  const recent = new Map<string, CaptureResult>();
  const remember = (results: CaptureResult[]) => {
    // The last few thousand, for settle(); older ones are read back from the database.
    for (const r of results) if (r.id) keepRecent(recent, r.id, r, 5_000);
  };

  let running = false;
  let stopRequested = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  let current: Promise<number> | null = null;

  const wake = () => {
    woken = true;
    wakeUp?.();
  };

  /**
   * Captures everything due, batch after batch, and returns how many inbox rows it took (0: nothing
   * due). The next batch is read and analyzed while the current one is written, so the analysis
   * threads and the database work at the same time. Single-flight in this process.
   */
  const drainOnce = (linger = 0, background = false): Promise<number> => {
    current ??= pump(linger, background).finally(() => {
      current = null;
    });
    return current;
  };

  async function pump(linger: number, background: boolean): Promise<number> {
    let taken = 0;
    // The running loop steps aside while accepts pour in; a drain or settle someone waits for does not.
    const before = background ? yieldToAccepts : () => Promise.resolve();
    let next = before().then(() => prepare([]));
    for (;;) {
      const batch = await next;
      if (!batch) return taken;
      taken += batch.rows;
      // Only one batch ahead, and never the rows being written now. After a small batch the next
      // one is read `linger` ms later (while this one is written), so a stream gathers into batches.
      const exclude = batch.items.map((i) => i.id);
      const gather = linger > 0 && batch.rows < batchSize;
      next = running || !stopRequested ? (gather ? pause(linger) : Promise.resolve()).then(before).then(() => prepare(exclude)) : Promise.resolve(null);
      next.catch(() => {}); // awaited in the next round
      try {
        await commit(batch);
      } catch (e) {
        await next.catch(() => null);
        throw e;
      }
      if (!running && stopRequested) {
        await next.catch(() => null);
        return taken;
      }
    }
  }

  interface Prepared {
    rows: number;
    items: Item[];
    phases: Record<string, number>;
  }

  /** Reads the oldest due messages (not those in `exclude`) and analyzes them; null when none. */
  async function prepare(exclude: string[]): Promise<Prepared | null> {
    const t0 = performance.now();
    const rows = await duePending(db, batchSize, exclude);
    if (rows.length === 0) return null;
    const phases: Record<string, number> = { read: performance.now() - t0 };
    const parsed: { id: string; message: InboundMessage; attempts: number }[] = [];
    for (const row of rows) {
      try {
        if (row.payload === null) throw new RapportError('validation', 'the stored message has no payload');
        parsed.push({ id: row.id, message: fromInboxPayload(row.payload), attempts: row.attempts });
      } catch (e) {
        await recordInboxFailure(db, row.id, { code: 'invalid_payload', message: reasonOf(e) }, null);
      }
    }
    const t1 = performance.now();
    if (opts.analysisOptions) {
      const current = await opts.analysisOptions();
      if (current.changed) await opts.analysis.setOptions?.(current.options);
    }
    const analyses = await opts.analysis.analyze(parsed.map((p) => ({ subject: p.message.subject, text: p.message.text })));
    phases.analyze = performance.now() - t1;
    const names = opts.names ? await opts.names() : null;
    const items = parsed.map((p, i): Item => {
      const a = analyses[i];
      const analysis: Item['analysis'] = a
        ? {
            language: a.language === 'unknown' ? null : a.language,
            // The channel's own kind ('note', 'feedback') wins; 'other' leaves the default ('message').
            kind: p.message.kindHint ?? (a.kind === 'other' ? undefined : a.kind),
            sentiment: a.sentiment,
            searchText: a.searchText,
            flags: a.flags,
            terms: names ? withoutNames(a.terms, names) : a.terms,
          }
        : { ...languageOnly(p.message), flags: ['analysis_skipped'], terms: [] };
      return { id: p.id, message: p.message, analysis, attempts: p.attempts };
    });
    return { rows: rows.length, items, phases };
  }

  /** Batches being committed (their inbox ids), until their `committed` hook is done: settle waits for them. */
  const committing = new Map<Promise<void>, Set<string>>();

  async function commit(batch: Prepared): Promise<void> {
    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    committing.set(done, new Set(batch.items.map((i) => i.id)));
    try {
      await commitBatch(batch);
    } finally {
      committing.delete(done);
      finished();
    }
  }

  async function commitBatch(batch: Prepared): Promise<void> {
    const t2 = performance.now();
    const results = await captureWithRetry(batch.items);
    batch.phases.store = performance.now() - t2;
    if (opts.committed) await opts.committed(results).catch((e: unknown) => log.warn({ err: e }, 'after-commit step failed'));
    remember(results);
    if (opts.afterCommit && results.some((r) => r.status === 'created')) {
      opts.afterCommit(results).catch((e: unknown) => log.warn({ err: e }, 'after-capture hook failed'));
    }
    const created = results.filter((r) => r.status === 'created').length;
    log.debug({ messages: batch.rows, created, ms: Object.fromEntries(Object.entries(batch.phases).map(([k, v]) => [k, Math.round(v)])) }, 'capture batch');
  }

  type Item = CaptureItem & { analysis: Analysis & { terms: string[] }; attempts: number };

  /** Captures the items; a failing batch is split until the failing message is found and set aside. */
  async function captureWithRetry(items: Item[]): Promise<CaptureResult[]> {
    if (items.length === 0) return [];
    try {
      return await captureInTransaction(items);
    } catch (e) {
      if (isDatabaseUnavailable(e)) throw e;
      if (items.length === 1) {
        const item = items[0]!;
        const attempt = item.attempts + 1;
        const error = { code: codeOf(e), message: reasonOf(e) };
        const retryAt = attempt < maxAttempts ? new Date(Date.now() + retryDelay(attempt)) : null;
        await recordInboxFailure(db, item.id, error, retryAt);
        log.warn({ inbox: item.id, code: error.code, attempt, parked: retryAt === null }, 'message not captured');
        return [{ ...rejectedResult(item.message, error.code, error.message), id: item.id }];
      }
      const half = Math.ceil(items.length / 2);
      return [...(await captureWithRetry(items.slice(0, half))), ...(await captureWithRetry(items.slice(half)))];
    }
  }

  async function captureInTransaction(items: Item[]): Promise<CaptureResult[]> {
    return db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${LOCK_KEY}, 0))`);
      const still = await lockStillPending(tx, items.map((i) => i.id));
      const mine = items.filter((i) => still.has(i.id));
      if (mine.length === 0) return [];
      // Keywords against the counts so far, each message counting the earlier ones of the batch.
      const view = await dfViewFor(tx, mine.flatMap((i) => i.analysis.terms));
      const delta = new Map<string, number>();
      let documents = 0;
      for (const item of mine) {
        if (item.analysis.terms.length === 0 && !item.analysis.searchText) continue;
        item.analysis.keywords = keywordsOf(item.analysis.terms, { documents: view.documents + documents, df: (t) => view.df(t) + (delta.get(t) ?? 0) });
        documents += 1;
        for (const t of new Set(item.analysis.terms)) delta.set(t, (delta.get(t) ?? 0) + 1);
      }
      const results = await captureBatch(captureStore(tx), mine, opts.pipeline);
      await addDocumentFrequencies(tx, delta, documents);
      const settled: Settlement[] = results.map((r, i) => ({
        id: mine[i]!.id,
        status: r.status === 'duplicate' ? 'duplicate' : r.noise ? 'noise' : r.queuedForReview ? 'review' : 'captured',
        communicationId: r.id,
      }));
      await settleInbox(tx, settled);
      return results;
    });
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken) {
        woken = false;
        return resolve();
      }
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wakeUp = null;
        woken = false;
        resolve();
      }
      wakeUp = done;
    });

  async function run(): Promise<void> {
    let backoff = 0;
    // The loop keeps one share of the leader lock for as long as it runs.
    let leader = false;
    while (running) {
      let took = 0;
      try {
        if (leader && !opts.leadership.held()) leader = false;
        if (!leader) leader = await opts.leadership.acquire();
        if (leader) took = await drainOnce(lingerMs, true);
        backoff = 0;
      } catch (e) {
        backoff = Math.min(backoff ? backoff * 2 : 500, 30_000);
        log.warn({ code: codeOf(e), retryInMs: backoff }, 'capture worker: database unavailable; retrying');
        await sleep(backoff);
        continue;
      }
      if (took === 0 && running) await sleep(leader ? pollMs : Math.max(pollMs, 2_000));
    }
    if (leader) await opts.leadership.release();
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopRequested = false;
      loop = run();
    },
    async stop() {
      running = false;
      stopRequested = true;
      wakeUp?.();
      await loop;
      loop = null;
      await current?.catch(() => 0);
    },
    wake,
    async drain() {
      const summary: DrainSummary = { messages: 0 };
      if (!(await opts.leadership.acquire())) return summary;
      waiting++;
      try {
        for (;;) {
          const n = await drainOnce();
          if (n === 0) return summary;
          summary.messages += n;
        }
      } finally {
        waiting--;
        await opts.leadership.release();
      }
    },
    async settle(ids, timeoutMs = 30_000) {
      waiting++;
      try {
        return await settleNow(ids, timeoutMs);
      } finally {
        waiting--;
      }
    },
  };

  async function settleNow(ids: string[], timeoutMs: number): Promise<CaptureResult[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const entries = await inboxEntries(db, ids);
      const byId = new Map(entries.map((e) => [e.id, e]));
      const open = ids.filter((id) => {
        const e = byId.get(id);
        return e !== undefined && e.status === 'pending' && e.attempts === 0;
      });
      if (open.length === 0) {
        // A batch seen committed may still be finishing its `committed` step.
        await Promise.all([...committing].filter(([, batchIds]) => ids.some((id) => batchIds.has(id))).map(([p]) => p));
        return resultsOf(ids, byId);
      }
      if (Date.now() > deadline) {
        throw new RapportError('unavailable', `${open.length} message(s) are accepted but not captured yet; they are safe in the inbox`);
      }
      if (await opts.leadership.acquire()) {
        let n: number;
        try {
          n = await drainOnce();
        } finally {
          await opts.leadership.release();
        }
        if (n === 0) await pause(50);
      } else await pause(100);
    }
  }

  async function resultsOf(ids: string[], byId: Map<string, InboxEntry>): Promise<CaptureResult[]> {
    const missing = ids.filter((id) => !recent.has(id) && byId.get(id)?.status !== 'pending' && byId.get(id)?.status !== 'failed');
    const fromDb = await capturedResults(db, missing.map((id) => byId.get(id)!));
    return ids.map((id) => {
      const e = byId.get(id);
      if (!e) return { ...rejectedResult(null as never, 'not_found', 'no such inbox entry'), id };
      if (e.status === 'pending' || e.status === 'failed') {
        return { ...rejectedResult(null as never, e.error?.code ?? 'internal', e.error?.message ?? 'not captured'), id };
      }
      return recent.get(id) ?? fromDb.get(id) ?? { ...rejectedResult(null as never, 'not_found', 'the communication is gone'), id };
    });
  }
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function codeOf(e: unknown): string {
  const err = e as { code?: unknown; cause?: { code?: unknown } };
  const code = typeof err?.code === 'string' ? err.code : typeof err?.cause?.code === 'string' ? err.cause.code : 'internal';
  return code;
}

/** A reason without message content: Drizzle's "Failed query … params" never leaves here. */
function reasonOf(e: unknown): string {
  const err = e as { message?: unknown; cause?: { message?: unknown } };
  const own = typeof err?.message === 'string' ? err.message : String(e);
  const message = own.startsWith('Failed query') && typeof err.cause?.message === 'string' ? err.cause.message : own;
  return message.split('\n')[0]!.slice(0, 300);
}
