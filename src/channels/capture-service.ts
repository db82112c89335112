// The capture pipeline wired to the store and the configuration. Channels get it from here:
// `capture(msg)` for one message in its own transaction, `captureBatch(msgs, extraWrite)` for a batch
// written together with the caller's own write (an IMAP cursor) — all of it commits or none does.
import { alertsAfterCommit } from './alerts.js';
import { sharedAnalyzer } from '../analytics-runner/analyzer.js';
import type { AppContext } from '../context.js';
import { createCapturePipeline, type AnalyzeHook } from '../core/capture-pipeline.js';
import { isRapportError } from '../core/errors.js';
import type { Capture, CaptureResult, InboundMessage } from '../core/inbound-message.js';
import { captureTxPorts, createCaptureStore } from '../store/capture-store.js';
import type { Tx } from '../store/database.js';

export interface CaptureService {
  capture: Capture;
  /**
   * One transaction for the batch and `extraWrite` (which gets the results). An invalid message (a RapportError such as
   * `validation`) is rolled back alone and reported as status 'rejected'; anything else — the
   * database going away — rolls back everything and throws, so the caller retries the batch.
   */
  captureBatch(messages: InboundMessage[], extraWrite?: (tx: Tx, results: CaptureResult[]) => Promise<void>): Promise<CaptureResult[]>;
}

export interface CaptureServiceOptions {
  /** Analysis hook (default: the context's analyzer — language, keywords, sentiment, kind). */
  analyze?: AnalyzeHook;
  /**
   * Called after the transaction committed, with what was stored (real-time alerts). It runs
   * in the background: its failures are logged and never undo or delay a capture.
   */
  afterCommit?: ((results: CaptureResult[]) => Promise<void>) | null;
}

export function createCapture(ctx: AppContext, opts: CaptureServiceOptions = {}): CaptureService {
  const db = ctx.database.db;
  const analyzer = opts.analyze ? null : sharedAnalyzer(ctx);
  // The analyzer's snapshot is loaded before a capture transaction opens: on PGlite a query outside
  // an open transaction would wait for it.
  const ready = async () => {
    if (analyzer) await analyzer.ready();
  };
  const pipeline = createCapturePipeline(createCaptureStore(db), {
    internalDomains: ctx.config.RAPPORT_INTERNAL_DOMAINS,
    defaultRegion: ctx.config.RAPPORT_DEFAULT_REGION,
    autoCreate: ctx.config.RAPPORT_AUTO_CREATE,
    analyze: opts.analyze ?? analyzer!.analyze,
  });

  const log = ctx.log.child({ component: 'capture' });
  const afterCommit = opts.afterCommit === undefined ? alertsAfterCommit(ctx) : opts.afterCommit;
  const notify = (results: CaptureResult[]) => {
    if (!afterCommit || !results.some((r) => r.status === 'created')) return;
    afterCommit(results).catch((e: unknown) => log.warn({ err: { message: (e as Error).message } }, 'after-capture hook failed'));
  };

  return {
    // Ids, codes and rules only: never addresses, subjects or bodies.
    capture: async (message) => {
      await ready();
      const r = await pipeline.capture(message);
      log.debug({ id: r.id, channel: message.channel, status: r.status, direction: r.direction, rule: r.match.rule, review: r.queuedForReview ?? false }, 'captured');
      notify([r]);
      return r;
    },
    captureBatch: async (messages, extraWrite) => {
      await ready();
      const results = await db.transaction(async (tx) => {
        const ports = captureTxPorts(tx);
        const out: CaptureResult[] = [];
        for (const message of messages) {
          try {
            out.push(await ports.savepoint((inner) => pipeline.captureIn(inner, message)));
          } catch (e) {
            if (!isRapportError(e)) throw e;
            out.push(rejected(message, e.code, e.message));
          }
        }
        if (extraWrite) await extraWrite(tx, out);
        return out;
      });
      notify(results);
      return results;
    },
  };
}

function rejected(message: InboundMessage, code: string, text: string): CaptureResult {
  return {
    id: '',
    status: 'rejected',
    customerId: null,
    threadId: null,
    direction: message?.directionHint ?? 'inbound',
    match: { rule: 'unmatched', confidence: 0, customerId: null, companyId: null },
    error: { code, message: text },
  };
}
