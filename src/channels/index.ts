// The channels dispatcher: the one place that knows every channel Rapport has — webhooks, email over
// IMAP, Slack, and SMTP out — and the path they all share:
//
//   channel ──append──▶ inbox (durable, deduped) ──drain──▶ capture worker ──▶ communications
//                                                   (batches; analysis in worker threads)
//
// It builds that path once per process (`channelsOf(ctx)`), starts and stops the channel workers
// (capture worker, IMAP IDLE, Slack Socket Mode), and is where `serve`, the CLI and the HTTP routes
// take channels from. Alerts get a `post` function from here; nothing else imports Slack.
import type { SlackAdapter } from '../../adapters/slack/index.js';

export type { SlackAdapter } from '../../adapters/slack/index.js';
import type { AppContext } from '../context.js';
import { RapportError } from '../core/errors.js';
import type { CaptureResult, InboundMessage } from '../core/inbound-message.js';
import { alertsAfterCommit, type AlertPost } from './alerts.js';
import { createAnalysisPool, type AnalysisPool } from './threads/analysis-pool.js';
import { createCaptureWorker, type CaptureWorker } from './capture-worker.js';
import { createInbox, type Inbox } from './inbox.js';
import { createParsePool, type ParsePool } from './threads/parse-pool.js';
import { workerLeadership } from './worker-leadership.js';
import { analyticsOptionsFrom, liveAnalyzeOptions } from '../analytics-runner/analyzer.js';
import { namesToLeaveOut } from '../analytics-runner/known-names.js';
import { slackConfigOf } from './slack-config.js';
import { parseThreadsOf } from '../config.js';

export interface Channels {
  inbox: Inbox;
  worker: CaptureWorker;
  /**
   * Accepts messages and waits until they are captured: for callers that answer with the result
   * (a Slack note, "send thread to CRM", the demo). Invalid messages come back as 'rejected'.
   */
  captureNow(messages: InboundMessage[], timeoutMs?: number): Promise<CaptureResult[]>;
  /** Mail parsing in worker threads, for the bulk paths (ingest, IMAP first syncs); started on first use. */
  parser(): ParsePool;
  /** The Slack adapter (loaded on first use), or null when Slack is not configured. */
  slack(): Promise<SlackAdapter | null>;
  /** Starts the capture worker (and Slack Socket Mode when configured); `serve` calls this. */
  start(): Promise<void>;
  /** Stops taking work, finishes the batch under way, closes the analysis threads. */
  stop(): Promise<void>;
}

export interface ChannelOverrides {
  analysis?: AnalysisPool;
  /** Alerts after each batch (default: from RAPPORT_ALERT_SLACK_CHANNEL through Slack). */
  afterCommit?: ((results: CaptureResult[]) => Promise<void>) | null;
  batchSize?: number;
  lingerMs?: number;
  pollMs?: number;
  maxAttempts?: number;
  retryDelayMs?: (attempt: number) => number;
  /** When the process counts as busy accepting (default: more than RAPPORT_CAPTURE_YIELD_ABOVE accepts a second). */
  busy?: () => boolean;
  yieldMaxMs?: number;
  /** Builds the Slack adapter (tests give it a stand-in API); default from the configuration. */
  slack?: (ctx: AppContext, channels: Channels) => Promise<SlackAdapter | null>;
}

const perContext = new WeakMap<AppContext, Channels>();
/** A message mailparser has not read in this long is refused (`parse_timeout`). */
const parseTimeoutMs = 60_000;

/** The channels of this context (this process), built on first use. */
export function channelsOf(ctx: AppContext): Channels {
  let c = perContext.get(ctx);
  if (!c) {
    c = createChannels(ctx);
    perContext.set(ctx, c);
  }
  return c;
}

/** Replaces the channels of a context (tests that need other settings). */
export function setChannels(ctx: AppContext, channels: Channels): Channels {
  perContext.set(ctx, channels);
  return channels;
}

export function createChannels(ctx: AppContext, overrides: ChannelOverrides = {}): Channels {
  const config = ctx.config;
  const log = ctx.log.child({ component: 'capture' });
  const analysis =
    overrides.analysis ??
    createAnalysisPool({ threads: config.RAPPORT_ANALYSIS_THREADS, budgetMs: config.RAPPORT_ANALYSIS_BUDGET_MS, options: analyticsOptionsFrom(ctx), log });

  let slackAdapter: Promise<SlackAdapter | null> | null = null;
  let parsePool: ParsePool | null = null;
  const post: AlertPost = async (channel, message) => {
    const slack = await channels.slack();
    if (!slack) throw new RapportError('unavailable', 'Slack is not configured');
    await slack.api.postMessage(channel, message);
  };
  const worker: CaptureWorker = createCaptureWorker({
    db: ctx.database.db,
    log,
    pipeline: { internalDomains: config.RAPPORT_INTERNAL_DOMAINS, defaultRegion: config.RAPPORT_DEFAULT_REGION, autoCreate: config.RAPPORT_AUTO_CREATE },
    analysis,
    ...(overrides.analysis ? {} : { analysisOptions: liveAnalyzeOptions(ctx).current }),
    // Computed in an analysis thread (jieba tags Chinese names): the main thread loads no models.
    names: () => namesToLeaveOut(ctx, false, analysis.nameWords ? (known) => analysis.nameWords!(known) : undefined),
    leadership: workerLeadership(ctx.database, log),
    afterCommit: overrides.afterCommit === undefined ? alertsAfterCommit(ctx, post) : overrides.afterCommit,
    // A customer's card never shows less than what was just captured for them.
    committed: (results) => ctx.shared.cards.forget(results.filter((r) => r.status === 'created').map((r) => r.customerId)),
    batchSize: overrides.batchSize ?? config.RAPPORT_CAPTURE_BATCH,
    lingerMs: overrides.lingerMs ?? config.RAPPORT_CAPTURE_LINGER_MS,
    // A burst of webhooks is answered first; the inbox holds it until the burst eases.
    busy: overrides.busy ?? (config.RAPPORT_CAPTURE_YIELD_ABOVE > 0 ? () => inbox.acceptsPerSecond() > config.RAPPORT_CAPTURE_YIELD_ABOVE : undefined),
    yieldMaxMs: overrides.yieldMaxMs ?? config.RAPPORT_CAPTURE_YIELD_MAX_MS,
    pollMs: overrides.pollMs,
    maxAttempts: overrides.maxAttempts,
    retryDelayMs: overrides.retryDelayMs,
  });
  const inbox = createInbox(ctx.database.db, {
    // One append statement at a time: what arrives while it commits goes into the next one (group
    // commit). On PostgreSQL, where a commit waits for its WAL flush, this answered more webhooks
    // than 2 or 4 at once (fewer, larger groups: fewer statements and flushes per request).
    concurrency: 1,
    onAppended: () => worker.wake(),
  });

  let started = false;
  let stopped = false;
  const channels: Channels = {
    inbox,
    worker,
    async captureNow(messages, timeoutMs) {
      const appended = await inbox.appendAll(messages);
      const ids = appended.flatMap((a) => (a.status === 'rejected' ? [] : [a.id]));
      const settled = await worker.settle(ids, timeoutMs);
      const byId = new Map(ids.map((id, i) => [id, settled[i]!]));
      return appended.map((a, i): CaptureResult => {
        if (a.status === 'rejected') {
          return {
            id: '',
            status: 'rejected',
            customerId: null,
            threadId: null,
            direction: messages[i]!.directionHint ?? 'inbound',
            match: { rule: 'unmatched', confidence: 0, customerId: null, companyId: null },
            error: a.error,
          };
        }
        const r = byId.get(a.id)!;
        // Delivered before: what the first delivery became.
        if (a.status === 'duplicate' && r.status !== 'rejected') {
          return { id: r.id, status: 'duplicate', customerId: r.customerId, threadId: r.threadId, direction: r.direction, match: r.match };
        }
        return r;
      });
    },
    parser() {
      return (parsePool ??= createParsePool(parseThreadsOf(config), parseTimeoutMs));
    },
    slack() {
      if (!slackConfigOf(config)) return Promise.resolve(null);
      slackAdapter ??= (overrides.slack ?? defaultSlack)(ctx, channels);
      return slackAdapter;
    },
    async start() {
      if (started) return;
      started = true;
      // An accept-only instance: another instance's worker captures what this one appends.
      if (config.RAPPORT_CAPTURE_WORKER === 'on') worker.start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await inbox.drain();
      await worker.stop();
      started = false;
      await analysis.close();
      await parsePool?.close();
    },
  };
  ctx.onClose(() => channels.stop());
  return channels;
}

async function defaultSlack(ctx: AppContext, channels: Channels): Promise<SlackAdapter | null> {
  // Bolt is heavy: loaded only where Slack is configured and first needed.
  const { createSlack } = await import('./slack.js');
  return createSlack(ctx, channels);
}
