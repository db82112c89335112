// The capture hook of analytics: language, keywords (TF-IDF against the document frequencies held
// in the database), sentiment and kind (the live learned model) for every message as it is captured.
//
// The hook runs inside the capture transaction but is not handed it, and on PGlite a second query
// outside that transaction would wait for it to end. So the analyzer works from an in-memory DF
// snapshot (loaded by `ready()` before capture starts), counts each analyzed message into it, and
// writes the accumulated increments with `flush()` (after a batch, and every few seconds by the
// caller). Increments of a message whose capture rolled back are a rounding error for IDF; the
// nightly `rapport keywords --rebuild` recounts everything exactly.
import { readFileSync } from 'node:fs';
import { analyzeMessage } from '../analytics/analyze-message.js';
import { addDocument, dfView, emptyDf, type DocumentFrequencies } from '../analytics/keywords.js';
import { kindConfigWith, type KindConfig, type KindConfigOverride } from '../analytics/kind.js';
import type { Analysis, AnalyzeHook } from '../core/capture-pipeline.js';
import { RapportError } from '../core/errors.js';
import type { AppContext } from '../context.js';
import { addDocumentFrequencies, loadDocumentFrequencies } from '../store/analytics-repo.js';
import { liveKindModelVersion } from '../store/kinds-repo.js';
import { loadLiveKindModel } from './kind-classifier.js';
import type { KindModel } from '../analytics/kind-model.js';

export interface Analyzer {
  analyze: AnalyzeHook;
  /** Loads the DF snapshot (once); call before capturing. */
  ready(): Promise<void>;
  /** Writes pending DF increments. */
  flush(): Promise<void>;
}

export interface AnalyzerOptions {
  userWords?: string[];
  /** Cue rules instead of the learned model (RAPPORT_KIND_RULES). */
  kindConfig?: KindConfig | undefined;
  /** How often `ready()` looks for a newly promoted kind model (default 60 s). */
  modelCheckMs?: number;
}

/** Kind rules from RAPPORT_KIND_RULES (a JSON file overriding cues and thresholds), else defaults. */
export function kindConfigFrom(path: string | undefined): KindConfig | undefined {
  if (!path) return undefined;
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
  let loading: Promise<void> | null = null;
  let pending = emptyDf();
  let kindModel: KindModel | null = null;
  let modelVersion = -1;
  let modelCheckedAt = 0;

  // The live model is loaded with the DF snapshot, and looked for again at most every
  // `modelCheckMs`: a version promoted by the nightly retrain (in any instance) takes over.
  async function refreshModel(): Promise<void> {
    if (opts.kindConfig) return;
    const now = Date.now();
    if (kindModel && now - modelCheckedAt < (opts.modelCheckMs ?? 60_000)) return;
    modelCheckedAt = now;
    const version = await liveKindModelVersion(db);
    if (kindModel && version === modelVersion) return;
    const live = await loadLiveKindModel(db);
    kindModel = live.model;
    modelVersion = live.version;
  }

  async function ready(): Promise<void> {
    loading ??= loadDocumentFrequencies(db).then((loaded) => {
      df = loaded;
    });
    await loading;
    await refreshModel();
  }

  const analyze: AnalyzeHook = (message): Analysis => {
    // Without a snapshot (ready() not awaited) keywords fall back to term frequency alone.
    const current = df ?? emptyDf();
    const a = analyzeMessage(message.subject, message.text, dfView(current), { ...opts, kindModel });
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
