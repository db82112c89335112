// What a database error means, for callers that decide between retrying later and giving up.

/** True for errors that mean "the database is not answering" (connection refused, reset, closed). */
export function isDatabaseUnavailable(e: unknown): boolean {
  const err = e as { code?: string; message?: string; cause?: unknown } | undefined;
  if (!err) return false;
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003'].includes(err.code ?? '')) return true;
  if (/Connection terminated|connect ECONNREFUSED|PGlite is closed|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(err.message ?? '')) return true;
  return err.cause !== undefined && err.cause !== e && isDatabaseUnavailable(err.cause);
}

/** PostgreSQL unique_violation (23505), possibly wrapped by Drizzle as the cause. */
export function isUniqueViolation(e: unknown, depth = 0): boolean {
  const err = e as { code?: string; cause?: unknown } | undefined;
  if (!err || depth > 3) return false;
  return err.code === '23505' || (err.cause !== undefined && err.cause !== e && isUniqueViolation(err.cause, depth + 1));
}

/** PostgreSQL refused a value itself: a data exception (class 22: a NUL byte, a malformed uuid, a
 *  date out of range) or a value too large for an index (54000). The input is at fault, not the
 *  database, and the same request would fail again. Possibly wrapped by Drizzle as the cause. */
export function isDataException(e: unknown, depth = 0): boolean {
  const err = e as { code?: unknown; cause?: unknown } | undefined;
  if (!err || depth > 3) return false;
  if (typeof err.code === 'string' && /^(22[0-9A-Z]{3}|54000)$/.test(err.code)) return true;
  return err.cause !== undefined && err.cause !== e && isDataException(err.cause, depth + 1);
}
