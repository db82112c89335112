// Console sessions. The cookie carries 256 random bits; only their SHA-256 is stored, so reading
// the table signs nobody in. A session ends when it expires, when it is revoked (sign-out, a
// password reset, an admin's "sign out everywhere", the user removed), or after idling too long.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from './database.js';
import { consoleSessions, consoleUsers, type UserRole } from './schema/index.js';

export interface SessionPrincipal {
  sessionId: string;
  userId: string;
  email: string;
  role: UserRole;
}

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
/** last_seen_at is written at most this often per session, so reading a page stays a read. */
const SEEN_RESOLUTION_MS = 60_000;

export async function createSession(db: DbOrTx, userId: string, lifetimeHours: number): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + lifetimeHours * 3_600_000);
  const [row] = await db.insert(consoleSessions).values({ tokenHash: hash(token), userId, expiresAt }).returning({ id: consoleSessions.id });
  await db.update(consoleUsers).set({ lastSignInAt: sql`now()` }).where(eq(consoleUsers.id, userId));
  return { token, sessionId: row!.id, expiresAt };
}

/** The signed-in user for a cookie value, or null when the session is unknown, revoked, expired or idle too long. */
export async function sessionFor(db: DbOrTx, token: string, idleHours: number): Promise<SessionPrincipal | null> {
  if (!token || token.length > 100) return null;
  const [row] = await db
    .select({ id: consoleSessions.id, lastSeenAt: consoleSessions.lastSeenAt, userId: consoleUsers.id, email: consoleUsers.email, role: consoleUsers.role })
    .from(consoleSessions)
    .innerJoin(consoleUsers, eq(consoleUsers.id, consoleSessions.userId))
    .where(and(eq(consoleSessions.tokenHash, hash(token)), isNull(consoleSessions.revokedAt), gt(consoleSessions.expiresAt, sql`now()`)));
  if (!row) return null;
  if (Date.now() - row.lastSeenAt.getTime() > idleHours * 3_600_000) return null;
  if (Date.now() - row.lastSeenAt.getTime() > SEEN_RESOLUTION_MS) {
    await db.update(consoleSessions).set({ lastSeenAt: sql`now()` }).where(eq(consoleSessions.id, row.id));
  }
  return { sessionId: row.id, userId: row.userId, email: row.email, role: row.role };
}

export async function revokeSession(db: DbOrTx, sessionId: string): Promise<void> {
  await db.update(consoleSessions).set({ revokedAt: sql`now()` }).where(and(eq(consoleSessions.id, sessionId), isNull(consoleSessions.revokedAt)));
}

/** Signs a user out everywhere; returns how many sessions were open. */
export async function revokeUserSessions(db: DbOrTx, userId: string): Promise<number> {
  const rows = await db
    .update(consoleSessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(consoleSessions.userId, userId), isNull(consoleSessions.revokedAt), gt(consoleSessions.expiresAt, sql`now()`)))
    .returning({ id: consoleSessions.id });
  return rows.length;
}
