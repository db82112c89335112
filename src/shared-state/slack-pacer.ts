// Slack's per-channel pacing and its 429 pause, shared by every instance through Redis. Each turn is
// taken atomically (a script, on Redis's clock, so instances with drifting clocks still agree);
// while Redis is away each instance paces on its own, as a single instance always did.
import { randomUUID } from 'node:crypto';
import { localPacer, type Pacer } from '../core/pacer.js';
import type { RedisLink } from './redis-link.js';

const now = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS: the lane's next free turn, the pause. ARGV: interval ms. Returns ms to wait.
const reserveScript = `${now}
local interval = tonumber(ARGV[1])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local pttl = redis.call('PTTL', KEYS[2])
local paused = 0
if pttl > 0 then paused = now + pttl end
local slot = math.max(now, nxt, paused)
redis.call('SET', KEYS[1], slot + interval, 'PX', slot + interval - now + 1000)
return slot - now`;

// KEYS: who is sending on the lane, the lane's "just sent" mark. ARGV: this sender, the longest hold ms.
// Returns 0 (the lane is this sender's now) or ms to wait before asking again.
const beginScript = `local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 50 end
local left = redis.call('PTTL', KEYS[2])
if left > 0 then return left end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 0`;

// KEYS: the lane's next free turn, who is sending, the "just sent" mark. ARGV: interval ms, this sender.
const doneScript = `${now}
local nxt = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now + tonumber(ARGV[1]))
redis.call('SET', KEYS[1], nxt, 'PX', nxt - now + 1000)
redis.call('SET', KEYS[3], '1', 'PX', ARGV[1])
if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
return 0`;

/** A sender that vanished mid-message holds its lane this long at most. */
const longestHoldMs = 15_000;

// KEYS: the pause. ARGV: ms. A shorter pause never cuts a longer one short.
const pauseScript = `if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 0`;

export function sharedPacer(link: RedisLink, name = 'slack'): Pacer {
  const local = localPacer();
  const lane = (l: string) => link.key(name, 'pace', l);
  const sent = (l: string) => link.key(name, 'sent', l);
  const sending = (l: string) => link.key(name, 'sending', l);
  // This process sends one message per lane at a time (SlackApi's queue), so it is the holder.
  const me = randomUUID();
  const pauseKey = link.key(name, 'pause');
  return {
    reserve: (l, intervalMs) =>
      link.run(async (r) => Number(await r.eval(reserveScript, 2, lane(l), pauseKey, intervalMs)), () => local.reserve(l, intervalMs)),
    // This process's own record too: a turn begun while Redis was away ends in both.
    done: async (l, intervalMs) => {
      await local.done(l, intervalMs);
      await link.run(async (r) => void (await r.eval(doneScript, 3, lane(l), sending(l), sent(l), intervalMs, me)), () => undefined);
    },
    begin: (l) => link.run(async (r) => Number(await r.eval(beginScript, 2, sending(l), sent(l), me, longestHoldMs)), () => local.begin(l)),
    // Kept here too: should Redis go away during the pause, this instance still waits it out.
    pause: async (ms) => {
      await local.pause(ms);
      await link.run(async (r) => void (await r.eval(pauseScript, 1, pauseKey, Math.ceil(ms))), () => undefined);
    },
    pausedFor: () =>
      link.run(
        async (r) => Math.max(0, Number(await r.pttl(pauseKey)), await local.pausedFor()),
        () => local.pausedFor(),
      ),
  };
}
