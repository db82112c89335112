// Pacing of messages to a chat service (Slack asks for about one message a second per channel) and
// the pause it asks for after a 429. The Slack adapter asks a Pacer before each message; this file's
// in-process pacer is what one instance needs, src/shared-state has the one several instances
// share through Redis.

export interface Pacer {
  /**
   * Takes the next turn of `lane` (a channel): how many milliseconds to wait before sending. The
   * turn after it comes no sooner than `intervalMs` later, and none comes during a pause.
   */
  reserve(lane: string, intervalMs: number): Promise<number>;
  /**
   * Asked when the turn has come: 0, and the lane is this sender's until `done`; or milliseconds to
   * wait and ask again, while the message before (another instance's) is still on its way or
   * finished less than the interval ago.
   */
  begin(lane: string): Promise<number>;
  /** This sender's message of `lane` finished (sent or failed): the next goes `intervalMs` from now at the soonest. */
  done(lane: string, intervalMs: number): Promise<void>;
  /** The service answered 429: nobody sends for `ms`. */
  pause(ms: number): Promise<void>;
  /** Milliseconds left of a pause (0 when none). */
  pausedFor(): Promise<number>;
}

/** The pacing of this process alone (Date.now() as the clock). */
export function localPacer(now: () => number = Date.now): Pacer {
  const next = new Map<string, number>();
  const free = new Map<string, number>();
  const sending = new Set<string>();
  let pausedUntil = 0;
  const forgetOld = (t: number) => {
    // Lanes whose turn is long past hold nothing worth keeping.
    if (next.size > 1000) for (const [k, v] of next) if (v < t) next.delete(k);
    if (free.size > 1000) for (const [k, v] of free) if (v < t) free.delete(k);
  };
  return {
    async reserve(lane, intervalMs) {
      const t = now();
      const slot = Math.max(t, next.get(lane) ?? 0, pausedUntil);
      next.set(lane, slot + intervalMs);
      forgetOld(t);
      return slot - t;
    },
    async done(lane, intervalMs) {
      const t = now();
      next.set(lane, Math.max(next.get(lane) ?? 0, t + intervalMs));
      free.set(lane, t + intervalMs);
      sending.delete(lane);
    },
    async begin(lane) {
      if (sending.has(lane)) return 50;
      const wait = (free.get(lane) ?? 0) - now();
      if (wait > 0) return wait;
      sending.add(lane);
      return 0;
    },
    async pause(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
    async pausedFor() {
      return Math.max(0, pausedUntil - now());
    },
  };
}
