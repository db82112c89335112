// The options analysis runs with, from configuration: product and brand names kept whole
// (RAPPORT_ANALYTICS_USER_WORDS) and the message-kind rules (RAPPORT_KIND_RULES). The capture
// worker's analysis threads get them once, at start (src/channels/threads).
import { readFileSync } from 'node:fs';
import type { AnalyzeOptions } from '../analytics/analyze-message.js';
import { kindConfigWith, defaultKindConfig, type KindConfig, type KindConfigOverride } from '../analytics/kind.js';
import { RapportError } from '../core/errors.js';
import type { AppContext } from '../context.js';

/** Kind rules from RAPPORT_KIND_RULES (a JSON file overriding cues and thresholds), else defaults. */
export function kindConfigFrom(path: string | undefined): KindConfig {
  if (!path) return defaultKindConfig;
  try {
    return kindConfigWith(JSON.parse(readFileSync(path, 'utf8')) as KindConfigOverride);
  } catch (e) {
    throw new RapportError('validation', `RAPPORT_KIND_RULES: cannot read ${path}: ${(e as Error).message}`, undefined, { cause: e });
  }
}

export function analyticsOptionsFrom(ctx: AppContext): AnalyzeOptions {
  return { userWords: ctx.config.RAPPORT_ANALYTICS_USER_WORDS, kindConfig: kindConfigFrom(ctx.config.RAPPORT_KIND_RULES) };
}
