// Slack profiles (users.info: home workspace, email, name) in Redis in front of the database's
// slack_users table, so every instance finds a profile any of them fetched without a query. The
// database stays the record: a profile is written there first, and read from there whenever Redis
// has none or is away. Without Redis this is the database alone, as it always was.
import type { SlackProfile } from '../core/slack-profile.js';
import type { RedisLink } from './redis-link.js';
import { parsed } from './stored-json.js';

/** What is cached is the profile the Slack adapter reads (src/core/slack-profile.ts). */
export type CachedProfile = SlackProfile;

export interface ProfileCache {
  get(teamId: string, userId: string, fromDatabase: () => Promise<CachedProfile | null>): Promise<CachedProfile | null>;
  remember(profile: Omit<CachedProfile, 'fetchedAt'>, toDatabase: () => Promise<void>): Promise<void>;
  /** Deletes every cached profile (an erasure: the database rows are gone, no copy may stay). */
  forgetAll(): Promise<void>;
}

export const databaseProfiles: ProfileCache = {
  get: (_t, _u, fromDatabase) => fromDatabase(),
  remember: (_p, toDatabase) => toDatabase(),
  forgetAll: async () => {},
};

/** Profiles are refreshed from Slack once a day (adapters/slack/slack-message.ts); kept that long. */
const keepMs = 24 * 3600 * 1000;

export function redisProfiles(link: RedisLink): ProfileCache {
  const key = (t: string, u: string) => link.key('slack', 'profile', t, u);
  const store = (p: CachedProfile) => {
    const left = p.fetchedAt.getTime() + keepMs - Date.now();
    if (left <= 0) return Promise.resolve();
    return link.run(async (r) => void (await r.set(key(p.teamId, p.userId), JSON.stringify(p), 'PX', left)), () => undefined);
  };
  /** An erasure happened while Redis was away: its copies go once Redis is back. */
  let purgeWhenBack = false;
  const purge = () =>
    link.run(
      async (r) => {
        for await (const keys of r.scanStream({ match: `${link.key('slack', 'profile')}:*`, count: 500 }) as AsyncIterable<string[]>) {
          if (keys.length > 0) await r.unlink(...keys);
        }
        purgeWhenBack = false;
      },
      () => {
        purgeWhenBack = true;
      },
    );
  link.onBack(async () => {
    if (purgeWhenBack) await purge();
  });
  return {
    async get(teamId, userId, fromDatabase) {
      const raw = purgeWhenBack ? null : await link.run((r) => r.get(key(teamId, userId)), () => null);
      const cached = raw ? parsed<CachedProfile & { fetchedAt: string }>(raw) : null;
      if (cached) return { ...cached, fetchedAt: new Date(cached.fetchedAt) };
      const p = await fromDatabase();
      if (p) await store(p);
      return p;
    },
    async remember(profile, toDatabase) {
      await toDatabase();
      await store({ ...profile, fetchedAt: new Date() });
    },
    forgetAll: purge,
  };
}
