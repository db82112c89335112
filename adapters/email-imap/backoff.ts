// Exponential backoff with full jitter for reconnects: attempt 0 → up to `initialMs`, doubling to
// `maxMs`; the error's code stretches it (a wrong password is not retried every second).
import { retryDelayFactor, type EmailErrorCode } from './errors.js';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export function backoffDelay(attempt: number, code: EmailErrorCode, opts: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxMs, opts.initialMs * 2 ** Math.min(attempt, 30) * retryDelayFactor(code));
  // Half fixed, half jitter: never zero, never in lockstep with other instances.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
