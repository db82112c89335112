// Sign-in rate limiting and lockout. The console asks a LoginThrottle, never a table, so a shared
// implementation (Redis) can replace this one without touching the sign-in code. This one keeps
// the counters in the database, which every instance on one PostgreSQL server already shares.
//
// A key (a hash of the account, or of the client address) may fail `maxFailures` times within
// `windowMinutes`; the next failure locks it for `lockMinutes`. A success clears the key.
import { createHash } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from './database.js';
import { loginAttempts } from './schema/index.js';
import { queryRows } from './rows.js';

export interface LoginThrottle {
  /** Seconds until any of these keys may try again; 0 when none is locked. */
  lockedFor(keys: string[]): Promise<number>;
  /** Counts a failure against every key; returns the seconds of lockout it caused (0 if none). */
  failed(keys: string[]): Promise<number>;
  succeeded(keys: string[]): Promise<void>;
}

export interface ThrottlePolicy {
  maxFailures: number;
  windowMinutes: number;
  lockMinutes: number;
}

/** Keys never hold what a person typed or their address in clear. */
export function throttleKey(kind: 'account' | 'client', value: string): string {
  return `${kind}:${createHash('sha256').update(value.trim().toLowerCase(), 'utf8').digest('hex').slice(0, 32)}`;
}


export function databaseLoginThrottle(db: DbOrTx, policy: ThrottlePolicy): LoginThrottle {
  return {
    async lockedFor(keys) {
      if (keys.length === 0) return 0;
      const [row] = await queryRows<{ s: number | string | null }>(db, sql`
        select ceil(extract(epoch from max(locked_until) - now())) as s from ${loginAttempts}
        where key = any(${sql.param(keys)}::text[]) and locked_until > now()`);
      return Math.max(0, Number(row?.s ?? 0));
    },
    async failed(keys) {
      let locked = 0;
      for (const key of keys) {
        // One statement per key: a new window starts when the old one is over; crossing the limit
        // sets the lock and starts counting again, so a locked key is not locked for ever.
        const [row] = await queryRows<{ locked: boolean }>(db, sql`
          insert into ${loginAttempts} (key, failures, window_start) values (${key}, 1, now())
          on conflict (key) do update set
            failures = case when login_attempts.window_start < now() - make_interval(mins => ${policy.windowMinutes}) then 1 else login_attempts.failures + 1 end,
            window_start = case when login_attempts.window_start < now() - make_interval(mins => ${policy.windowMinutes}) then now() else login_attempts.window_start end
          returning failures >= ${policy.maxFailures} as locked`);
        if (row?.locked) {
          await db.execute(sql`update ${loginAttempts} set locked_until = now() + make_interval(mins => ${policy.lockMinutes}), failures = 0, window_start = now() where key = ${key}`);
          locked = policy.lockMinutes * 60;
        }
      }
      return locked;
    },
    async succeeded(keys) {
      if (keys.length > 0) await db.delete(loginAttempts).where(inArray(loginAttempts.key, keys));
    },
  };
}
