// Where @fastify/rate-limit keeps its counters when REDIS_URL is set: in Redis, so every instance
// counts the same token, source or workspace together. While Redis is away each instance counts on
// its own again (as without Redis), rather than letting every request through or failing them.
import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import type { RedisLink } from '../shared-state/redis-link.js';
import { keepRecent } from '../core/recent-map.js';

type Counted = { current: number; ttl: number };
type Callback = (error: Error | null, result?: Counted) => void;

// KEYS: the counter. ARGV: window ms. A fixed window that starts with its first request.
const incrScript = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

/** Counters of this process alone: a fixed window per key, the oldest keys dropped past `max`. */
function localCounters(max = 10_000) {
  const windows = new Map<string, { n: number; until: number }>();
  return (key: string, windowMs: number): Counted => {
    const now = Date.now();
    let w = windows.get(key);
    if (!w || w.until <= now) w = keepRecent(windows, key, { n: 0, until: now + windowMs }, max);
    w.n++;
    return { current: w.n, ttl: w.until - now };
  };
}

/** The plugin's `store` option: counters in Redis, this process's own while Redis is away. */
export function sharedCounterStore(link: RedisLink): Pick<RateLimitPluginOptions, 'store'> {
  const local = localCounters();
  class SharedCounters {
    incr(key: string, cb: Callback, timeWindow: number): void {
      link
        .run(
          async (r) => {
            const [current, ttl] = (await r.eval(incrScript, 1, link.key('rl', key), timeWindow)) as [number, number];
            return { current: Number(current), ttl: Number(ttl) };
          },
          () => local(key, timeWindow),
        )
        .then((res) => cb(null, res), (e: Error) => cb(e));
    }

    child(): SharedCounters {
      return this;
    }
  }
  return { store: SharedCounters };
}
