// The options analysis runs with: product and brand names kept whole (RAPPORT_ANALYTICS_USER_WORDS),
// and the kind/sentiment classifier — the live learned model (the newest promoted version, else the
// committed default), or the deprecated cue rules when RAPPORT_KIND_RULES is set. The capture
// worker's analysis threads get them as data (src/channels/threads) and pick up a newly promoted
// model within a minute.
import { readFileSync } from 'node:fs';
import type { AnalyzeOptions } from '../analytics/analyze-message.js';
import { kindConfigWith, type KindConfig, type KindConfigOverride } from '../analytics/kind.js';
import { RapportError } from '../core/errors.js';
import type { AppContext } from '../context.js';
import { liveKindModelVersion } from '../store/kinds-repo.js';
import { loadLiveKindModel } from './kind-classifier.js';

/** Kind rules from RAPPORT_KIND_RULES (a JSON file overriding cues and thresholds), else none (the learned model decides). */
export function kindConfigFrom(path: string | undefined): KindConfig | undefined {
  if (!path) return undefined;
  try {
    return kindConfigWith(JSON.parse(readFileSync(path, 'utf8')) as KindConfigOverride);
  } catch (e) {
    throw new RapportError('validation', `RAPPORT_KIND_RULES: cannot read ${path}: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/** What does not change while the process runs. */
export function analyticsOptionsFrom(ctx: AppContext): AnalyzeOptions {
  const kindConfig = kindConfigFrom(ctx.config.RAPPORT_KIND_RULES);
  return { userWords: ctx.config.RAPPORT_ANALYTICS_USER_WORDS, ...(kindConfig ? { kindConfig } : {}) };
}

export interface LiveAnalyzeOptions {
  /** The options with the live model; `changed` when they differ from the last call's. */
  current(): Promise<{ options: AnalyzeOptions; changed: boolean }>;
}

/** The analysis options with the live kind model, looked up again at most every `checkMs`. */
export function liveAnalyzeOptions(ctx: AppContext, checkMs = 60_000): LiveAnalyzeOptions {
  const base = analyticsOptionsFrom(ctx);
  let options: AnalyzeOptions | null = null;
  let version = -1;
  let checkedAt = 0;
  return {
    async current() {
      if (base.kindConfig) {
        const changed = options === null;
        options ??= base;
        return { options, changed };
      }
      if (options && Date.now() - checkedAt < checkMs) return { options, changed: false };
      checkedAt = Date.now();
      const live = await liveKindModelVersion(ctx.database.db);
      if (options && live === version) return { options, changed: false };
      const loaded = await loadLiveKindModel(ctx.database.db);
      version = loaded.version;
      options = { ...base, kindModel: loaded.model };
      return { options, changed: true };
    },
  };
}
