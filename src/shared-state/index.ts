// What several instances of Rapport share beyond the database: Slack pacing and its 429 pause, the
// Slack profile cache, customer cards and the rate-limit counters. With REDIS_URL they live in Redis;
// without it (or while Redis is away) each instance keeps its own, which is all one instance needs.
import type { Pacer } from '../core/pacer.js';
import { noCardCache, redisCardCache, type CardCache } from './card-cache.js';
import { databaseProfiles, redisProfiles, type ProfileCache } from './profile-cache.js';
import { RedisLink, type LinkLog } from './redis-link.js';
import { sharedPacer } from './slack-pacer.js';

export type { CardCache } from './card-cache.js';
export type { ProfileCache } from './profile-cache.js';
export type { RedisLink } from './redis-link.js';

export interface SharedState {
  /** The Redis connection, or null without REDIS_URL. */
  readonly redis: RedisLink | null;
  /** Slack pacing shared by every instance; null: the Slack adapter paces on its own. */
  readonly slackPacer: Pacer | null;
  readonly slackProfiles: ProfileCache;
  readonly cards: CardCache;
  close(): Promise<void>;
}

export interface SharedStateSettings {
  REDIS_URL?: string | undefined;
  RAPPORT_REDIS_PREFIX: string;
  RAPPORT_REDIS_TIMEOUT_MS: number;
  RAPPORT_CARD_CACHE_SECONDS: number;
}

export function createSharedState(settings: SharedStateSettings, log: LinkLog): SharedState {
  if (!settings.REDIS_URL) {
    return { redis: null, slackPacer: null, slackProfiles: databaseProfiles, cards: noCardCache, close: async () => {} };
  }
  const redis = new RedisLink({ url: settings.REDIS_URL, prefix: settings.RAPPORT_REDIS_PREFIX, log, commandTimeoutMs: settings.RAPPORT_REDIS_TIMEOUT_MS });
  return {
    redis,
    slackPacer: sharedPacer(redis),
    slackProfiles: redisProfiles(redis),
    cards: settings.RAPPORT_CARD_CACHE_SECONDS > 0 ? redisCardCache(redis, settings.RAPPORT_CARD_CACHE_SECONDS * 1000) : noCardCache,
    close: () => redis.close(),
  };
}
