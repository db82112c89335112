// API tokens. The token is random, shown once at creation, and stored only as a SHA-256 hash with a
// short prefix so people can tell tokens apart in listings. A hash of 256 random bits needs no salt
// or slow KDF: nobody can guess a preimage, unlike with passwords.
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { RapportError } from '../core/errors.js';
import type { DbOrTx } from './database.js';
import { apiTokens, tokenScopes, type TokenScope } from './schema/index.js';

export { tokenScopes, type TokenScope };

export const TOKEN_PREFIX = 'rpt_';
/** Characters of the token kept in clear (`rpt_` + 8) to name it in listings. */
const SHOWN = TOKEN_PREFIX.length + 8;
/** last_used_at is written at most this often per token, so verifying stays a read. */
const LAST_USED_RESOLUTION_MS = 60_000;

const rank: Record<TokenScope, number> = { read: 1, write: 2, admin: 3 };

/** True when a token of scope `has` may do what needs `needs` (read < write < admin). */
export function scopeAllows(has: TokenScope, needs: TokenScope): boolean {
  return rank[has] >= rank[needs];
}

export interface TokenView {
  id: string;
  name: string;
  scope: TokenScope;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedToken extends TokenView {
  /** The token itself; it cannot be read back later. */
  token: string;
}

export interface TokenPrincipal {
  id: string;
  name: string;
  scope: TokenScope;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const view = (r: typeof apiTokens.$inferSelect): TokenView => ({
  id: r.id,
  name: r.name,
  scope: r.scope,
  prefix: r.prefix,
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  revokedAt: r.revokedAt?.toISOString() ?? null,
});

export async function createToken(db: DbOrTx, input: { name: string; scope: TokenScope }): Promise<CreatedToken> {
  const name = input.name.trim();
  const issues = [];
  if (!name) issues.push({ field: 'name', message: 'missing name' });
  if (!tokenScopes.includes(input.scope)) issues.push({ field: 'scope', message: `scope must be one of ${tokenScopes.join(', ')}` });
  if (issues.length > 0) throw new RapportError('validation', issues.map((i) => i.message).join('; '), { fields: issues });
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const [row] = await db
    .insert(apiTokens)
    .values({ name, scope: input.scope, tokenHash: hashToken(token), prefix: token.slice(0, SHOWN) })
    .returning();
  return { ...view(row!), token };
}

export async function listTokens(db: DbOrTx, opts: { includeRevoked?: boolean } = {}): Promise<TokenView[]> {
  const rows = await db
    .select()
    .from(apiTokens)
    .where(opts.includeRevoked === false ? isNull(apiTokens.revokedAt) : undefined)
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  return rows.map(view);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Revokes a token by id (or by its shown prefix, when that names exactly one token). Revoking a
 * revoked token is harmless and returns it unchanged; an unknown token is `null`.
 */
export async function revokeToken(db: DbOrTx, idOrPrefix: string): Promise<TokenView | null> {
  const key = idOrPrefix.trim();
  const match = UUID.test(key) ? eq(apiTokens.id, key) : key.startsWith(TOKEN_PREFIX) ? eq(apiTokens.prefix, key) : null;
  if (!match) return null;
  const found = await db.select().from(apiTokens).where(match);
  if (found.length === 0) return null;
  if (found.length > 1) {
    throw new RapportError('conflict', `prefix ${key} names ${found.length} tokens; revoke by id`, { ids: found.map((f) => f.id) });
  }
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, now())` })
    .where(eq(apiTokens.id, found[0]!.id))
    .returning();
  return view(row!);
}

/**
 * The principal for a presented token, or null when it is unknown or revoked. last_used_at is
 * refreshed only when older than a minute, so a busy client does not write a row per request.
 */
export async function verifyToken(db: DbOrTx, token: string): Promise<TokenPrincipal | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const [row] = await db
    .select({ id: apiTokens.id, name: apiTokens.name, scope: apiTokens.scope, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(and(eq(apiTokens.id, row.id), or(isNull(apiTokens.lastUsedAt), sql`${apiTokens.lastUsedAt} < now() - interval '1 minute'`)));
  }
  return { id: row.id, name: row.name, scope: row.scope };
}
