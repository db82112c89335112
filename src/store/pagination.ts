// Keyset pagination shared by the read queries. A cursor is opaque to clients: base64url of the
// sort key of the last row returned. Timestamps travel as text with microseconds, because
// PostgreSQL keeps microseconds and a JavaScript Date would round them away (and then a page would
// repeat or skip rows that share a millisecond).
import { sql, type SQL, type AnyColumn } from 'drizzle-orm';
import { validationError } from '../core/errors.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface PageRequest {
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export function encodeCursor(key: string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The sort key in a cursor, checked against the expected shape; a bad cursor is a validation error. */
export function decodeCursor(cursor: string, shape: ('string' | 'timestamp' | 'uuid')[], field = 'cursor'): string[] {
  const bad = () => validationError('the cursor is not valid (use next_cursor from the previous page)', [{ field, message: 'invalid cursor' }]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(key) || key.length !== shape.length) throw bad();
  return key.map((v, i) => {
    if (typeof v !== 'string') throw bad();
    if (shape[i] === 'uuid' && !isUuid(v)) throw bad();
    if (shape[i] === 'timestamp' && !TIMESTAMP.test(v)) throw bad();
    return v;
  });
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return UUID.test(s);
}

/** A timestamptz column as exact UTC text (microseconds), for cursors. */
export function exactTimestamp(column: AnyColumn | SQL): SQL<string> {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export function pageSize(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
}

/** Drops the extra row fetched to learn whether another page exists, and makes the next cursor. */
export function cutPage<R>(rows: R[], limit: number, key: (last: R) => string[]): { rows: R[]; nextCursor: string | null } {
  if (rows.length <= limit) return { rows, nextCursor: null };
  const kept = rows.slice(0, limit);
  return { rows: kept, nextCursor: encodeCursor(key(kept[kept.length - 1]!)) };
}

/** Escapes LIKE wildcards so user text matches literally. */
export function likeContains(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
