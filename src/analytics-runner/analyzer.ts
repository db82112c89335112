// The capture hook of analytics: language, keywords (TF-IDF against the document frequencies held
// in the database), sentiment and kind for every message as it is captured.
//
// The hook runs inside the capture transaction but is not handed it, and on PGlite a second query
// outside that transaction would wait for it to end. So the analyzer works from an in-memory DF
// snapshot (loaded by `ready()` before capture starts), counts each analyzed message into it, and
// writes the accumulated increments with `flush()` (after a batch, and every few seconds by the
// caller). Increments of a message whose capture rolled back are a rounding error for IDF; the
// nightly `rapport keywords --rebuild` recounts everything exactly. The names keywords leave out
// (customers, companies, staff) are read with the snapshot and again at flushes, every few minutes.
import { readFileSync } from 'node:fs';
import { analyzeMessage } from '../analytics/analyze-message.js';
import { addDocument, dfView, emptyDf, type DocumentFrequencies } from '../analytics/keywords.js';
import { kindConfigWith, defaultKindConfig, type KindConfig, type KindConfigOverride } from '../analytics/kind.js';
import type { Analysis, AnalyzeHook } from '../core/capture-pipeline.js';
import { RapportError } from '../core/errors.js';
import type { AppContext } from '../context.js';
import { addDocumentFrequencies, loadDocumentFrequencies } from '../store/analytics-repo.js';
import { namesToLeaveOut } from './known-names.js';

export interface Analyzer {
  analyze: AnalyzeHook;
  /** Loads the DF snapshot (once); call before capturing. */
  ready(): Promise<void>;
  /** Writes pending DF increments. */
  flush(): Promise<void>;
}

export interface AnalyzerOptions {
  userWords?: string[];
  kindConfig?: KindConfig;
}

/** Kind rules from RAPPORT_KIND_RULES (a JSON file overriding cues and thresholds), else defaults. */
export function kindConfigFrom(path: string | undefined): KindConfig {
  if (!path) return defaultKindConfig;
  try {
    return kindConfigWith(JSON.parse(readFileSync(path, 'utf8')) as KindConfigOverride);
  } catch (e) {
    throw new RapportError('validation', `RAPPORT_KIND_RULES: cannot read ${path}: ${(e as Error).message}`, undefined, { cause: e });
  }
}

export function analyticsOptionsFrom(ctx: AppContext): AnalyzerOptions {
  return { userWords: ctx.config.RAPPORT_ANALYTICS_USER_WORDS, kindConfig: kindConfigFrom(ctx.config.RAPPORT_KIND_RULES) };
}

export function createAnalyzer(ctx: AppContext, opts: AnalyzerOptions = analyticsOptionsFrom(ctx)): Analyzer {
  const db = ctx.database.db;
  let df: DocumentFrequencies | null = null;
  let names: ReadonlySet<string> | undefined;
  let loading: Promise<void> | null = null;
  let pending = emptyDf();

  async function ready(): Promise<void> {
    loading ??= Promise.all([loadDocumentFrequencies(db), namesToLeaveOut(ctx)]).then(([loaded, known]) => {
      df = loaded;
      names = known;
    });
    await loading;
  }

  const analyze: AnalyzeHook = (message): Analysis => {
    // Without a snapshot (ready() not awaited) keywords fall back to term frequency alone.
    const current = df ?? emptyDf();
    const a = analyzeMessage(message.subject, message.text, dfView(current), { ...opts, ...(names ? { names } : {}) });
    addDocument(current, a.terms);
    addDocument(pending, a.terms);
    df = current;
    return {
      language: a.language === 'unknown' ? null : a.language,
      keywords: a.keywords,
      sentiment: a.sentiment,
      // The channel's own kind ('note', 'feedback' from the Slack shortcut) wins; 'other' leaves
      // the pipeline's default ('message').
      kind: message.kindHint ?? (a.kind === 'other' ? undefined : a.kind),
    };
  };

  async function flush(): Promise<void> {
    if (names) names = await namesToLeaveOut(ctx);
    if (!pending.documents) return;
    const batch = pending;
    pending = emptyDf();
    try {
      await addDocumentFrequencies(db, batch.counts, batch.documents);
    } catch (e) {
      // Keep the counts for the next flush rather than lose them.
      for (const [t, n] of batch.counts) pending.counts.set(t, (pending.counts.get(t) ?? 0) + n);
      pending.documents += batch.documents;
      throw e;
    }
  }

  return { analyze, ready, flush };
}

const shared = new WeakMap<AppContext, Analyzer>();

/**
 * The analyzer of a context, made once. The capture service awaits `ready()` (the DF snapshot)
 * before it opens a transaction, and increments are flushed a couple of seconds after captures on
 * an unref'd timer.
 */
export function sharedAnalyzer(ctx: AppContext, flushAfterMs = 2000): Analyzer {
  let a = shared.get(ctx);
  if (!a) {
    const inner = createAnalyzer(ctx);
    let timer: NodeJS.Timeout | null = null;
    const flushSoon = () => {
      timer ??= setTimeout(() => {
        timer = null;
        inner.flush().catch((e: unknown) => ctx.log.warn({ err: (e as Error).message }, 'analytics: document frequencies not saved yet'));
      }, flushAfterMs);
      timer.unref();
    };
    a = {
      ready: inner.ready,
      flush: inner.flush,
      analyze: (message) => {
        const r = inner.analyze(message);
        flushSoon();
        return r;
      },
    };
    shared.set(ctx, a);
  }
  return a;
}
