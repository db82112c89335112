// People who sign in to the web console. Passwords arrive here already hashed (src/console/users.ts
// hashes them); this module only stores and reads rows.
import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from './database.js';
import { isUuid } from './pagination.js';
import { consoleSessions, consoleUsers, userRoles, type UserRole } from './schema/index.js';

export { userRoles, type UserRole };

export interface ConsoleUser {
  id: string;
  email: string;
  role: UserRole;
  createdAt: string;
  passwordChangedAt: string;
  lastSignInAt: string | null;
  /** Sessions not revoked and not expired. */
  activeSessions: number;
}

const roleRank: Record<UserRole, number> = { viewer: 1, agent: 2, admin: 3 };

/** True when a user with role `has` may do what needs `needs` (viewer < agent < admin). */
export function roleAllows(has: UserRole, needs: UserRole): boolean {
  return roleRank[has] >= roleRank[needs];
}

export async function insertUser(db: DbOrTx, u: { email: string; role: UserRole; passwordHash: string }): Promise<string> {
  const [row] = await db.insert(consoleUsers).values(u).returning({ id: consoleUsers.id });
  return row!.id;
}

export async function userByEmail(db: DbOrTx, email: string): Promise<(typeof consoleUsers.$inferSelect) | null> {
  const [row] = await db.select().from(consoleUsers).where(sql`lower(${consoleUsers.email}) = lower(${email})`);
  return row ?? null;
}

/** A user by id or email. */
export async function findUser(db: DbOrTx, key: string): Promise<(typeof consoleUsers.$inferSelect) | null> {
  if (isUuid(key)) {
    const [row] = await db.select().from(consoleUsers).where(eq(consoleUsers.id, key));
    return row ?? null;
  }
  return userByEmail(db, key.trim());
}

export async function listUsers(db: DbOrTx): Promise<ConsoleUser[]> {
  const rows = await db
    .select({
      u: consoleUsers,
      active: sql<number>`(select count(*) from ${consoleSessions} s where s.user_id = ${consoleUsers.id} and s.revoked_at is null and s.expires_at > now())`,
    })
    .from(consoleUsers)
    .orderBy(asc(sql`lower(${consoleUsers.email})`));
  return rows.map(({ u, active }) => ({
    id: u.id,
    email: u.email,
    role: u.role,
    createdAt: u.createdAt.toISOString(),
    passwordChangedAt: u.passwordChangedAt.toISOString(),
    lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
    activeSessions: Number(active),
  }));
}

export async function deleteUser(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db.delete(consoleUsers).where(eq(consoleUsers.id, id)).returning({ id: consoleUsers.id });
  return rows.length > 0;
}

export async function setPasswordHash(db: DbOrTx, id: string, passwordHash: string): Promise<void> {
  await db.update(consoleUsers).set({ passwordHash, passwordChangedAt: sql`now()` }).where(eq(consoleUsers.id, id));
}

export async function setRole(db: DbOrTx, id: string, role: UserRole): Promise<void> {
  await db.update(consoleUsers).set({ role }).where(eq(consoleUsers.id, id));
}

export async function countAdmins(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(consoleUsers).where(eq(consoleUsers.role, 'admin'));
  return Number(row?.n ?? 0);
}
