// Ids are UUIDs, long to type: the CLI takes any unique prefix of at least six hex digits, as git
// does for commits. A prefix is a range of the primary key ("3f0c1a" → 3f0c1a00-0000-… to
// 3f0c1aff-ffff-…), so the lookup uses the index however large the table.
import { and, gte, lte, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { RapportError } from '../core/errors.js';
import type { DbOrTx } from './database.js';
import { isUuid } from './pagination.js';

export const MIN_ID_PREFIX = 6;

const asUuid = (hex32: string) => `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-${hex32.slice(12, 16)}-${hex32.slice(16, 20)}-${hex32.slice(20)}`;

/** The hex digits of an id prefix (dashes where a UUID has them are fine), or null when it is not one. */
export function idPrefixDigits(input: string): string | null {
  const s = input.trim().toLowerCase();
  if (!/^[0-9a-f-]+$/.test(s)) return null;
  const digits = s.replace(/-/g, '');
  // Dashes only where a UUID has them: after 8, 12, 16 and 20 digits.
  if (asUuid(digits.padEnd(32, '0')).slice(0, s.length) !== s) return null;
  return digits.length >= MIN_ID_PREFIX && digits.length <= 32 ? digits : null;
}

/**
 * The one id in `idColumn` starting with `input`: a whole UUID is returned as it is; a prefix that
 * matches nothing gives null; one that matches several is a `validation` error naming how many.
 */
export async function resolveIdPrefix(db: DbOrTx, table: PgTable, idColumn: PgColumn, input: string, what: string, where?: SQL): Promise<string | null> {
  const key = input.trim();
  if (isUuid(key)) return key.toLowerCase();
  const digits = idPrefixDigits(key);
  if (!digits) return null;
  const rows = await db
    .select({ id: idColumn })
    .from(table)
    .where(and(gte(idColumn, asUuid(digits.padEnd(32, '0'))), lte(idColumn, asUuid(digits.padEnd(32, 'f'))), where))
    .limit(11);
  if (rows.length > 1) {
    const count = rows.length > 10 ? 'more than 10' : String(rows.length);
    throw new RapportError('validation', `id prefix ${key} matches ${count} ${what}s; give more characters`, { reason: 'ambiguous_id', candidates: rows.length > 10 ? '10+' : rows.length });
  }
  return (rows[0]?.id as string | undefined) ?? null;
}

/** True when `input` could be an id prefix (so a caller tries ids before names). */
export function looksLikeIdPrefix(input: string): boolean {
  return idPrefixDigits(input) !== null;
}
