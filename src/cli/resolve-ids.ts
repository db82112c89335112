// What a person types for a record on the command line → its id. Customers by id, email, external
// id, phone or Slack user, then by a unique id prefix; other records by id or unique id prefix
// (six or more hex digits). Nothing found → `not_found` (exit 1); a prefix of several →
// `validation` (exit 2, with how many it matches).
import { isNull } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import { notFound } from '../core/errors.js';
import { resolveCustomer } from '../store/customers-query.js';
import { resolveIdPrefix } from '../store/id-prefix.js';
import { apiTokens, communications, companies, customers, digestSubscriptions } from '../store/schema/index.js';

export async function customerIdOf(ctx: AppContext, key: string): Promise<string> {
  const found = await resolveCustomer(ctx.database.db, key, ctx.config.RAPPORT_DEFAULT_REGION);
  if (found) return found.id;
  const id = await resolveIdPrefix(ctx.database.db, customers, customers.id, key, 'customer', isNull(customers.deletedAt));
  if (!id) throw notFound('customer', key);
  return id;
}

/** A customer reference for code that also takes exact names: a unique id prefix becomes the id, anything else is passed on. */
export async function customerRefOf(ctx: AppContext, key: string): Promise<string> {
  if (await resolveCustomer(ctx.database.db, key, ctx.config.RAPPORT_DEFAULT_REGION)) return key;
  return (await resolveIdPrefix(ctx.database.db, customers, customers.id, key, 'customer', isNull(customers.deletedAt))) ?? key;
}

const byPrefix = {
  communication: [communications, communications.id],
  token: [apiTokens, apiTokens.id],
  subscription: [digestSubscriptions, digestSubscriptions.id],
  company: [companies, companies.id],
} as const;

export async function idOf(ctx: AppContext, what: keyof typeof byPrefix, key: string): Promise<string> {
  const [table, column] = byPrefix[what];
  const id = await resolveIdPrefix(ctx.database.db, table, column, key, what);
  if (!id) throw notFound(what, key);
  return id;
}

/** Like idOf, but null instead of not_found (for commands that also take other kinds of keys). */
export async function maybeIdOf(ctx: AppContext, what: keyof typeof byPrefix, key: string): Promise<string | null> {
  const [table, column] = byPrefix[what];
  return resolveIdPrefix(ctx.database.db, table, column, key, what);
}
