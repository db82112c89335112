// Console users: adding, removing, resetting passwords, and checking a password at sign-in.
// Passwords are hashed with argon2id (@node-rs/argon2, prebuilt; its defaults follow OWASP's
// recommendation: 19 MiB, 2 passes). Shared by the console and `rapport user`.
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { RapportError, notFound, validationError } from '../core/errors.js';
import { recordAudit } from '../store/audit-repo.js';
import { revokeUserSessions } from '../store/console-sessions-repo.js';
import { countAdmins, deleteUser, findUser, insertUser, setPasswordHash, userByEmail, userRoles, type UserRole } from '../store/console-users-repo.js';
import type { Db } from '../store/database.js';

export const MIN_PASSWORD_LENGTH = 10;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A password hash nobody has the password for: unknown accounts are checked against it, so they take as long as known ones. */
let decoy: Promise<string> | null = null;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw validationError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`, [{ field: 'password', message: 'too short' }]);
  }
  if (password.length > 512) throw validationError('the password is too long', [{ field: 'password', message: 'too long' }]);
}

export interface Actor {
  name: string;
  id?: string | null;
}

export async function addUser(db: Db, input: { email: string; role: string; password: string }, by: Actor): Promise<{ id: string; email: string; role: UserRole }> {
  const email = input.email.trim();
  if (!EMAIL.test(email) || email.length > 320) throw validationError(`"${email}" is not an email address`, [{ field: 'email', message: 'invalid email' }]);
  if (!userRoles.includes(input.role as UserRole)) {
    throw validationError(`the role must be one of ${userRoles.join(', ')}`, [{ field: 'role', message: 'invalid role' }]);
  }
  checkPassword(input.password);
  if (await userByEmail(db, email)) throw new RapportError('conflict', `a user ${email} already exists`);
  const passwordHash = await hashPassword(input.password);
  const role = input.role as UserRole;
  const id = await db.transaction(async (tx) => {
    const id = await insertUser(tx, { email, role, passwordHash });
    await recordAudit(tx, { actor: by.name, actorId: by.id ?? null, action: 'user.add', targetType: 'user', targetId: id, details: { role } });
    return id;
  });
  return { id, email, role };
}

export async function removeUser(db: Db, key: string, by: Actor): Promise<{ id: string; email: string }> {
  const user = await findUser(db, key);
  if (!user) throw notFound('user', key);
  await db.transaction(async (tx) => {
    if (user.role === 'admin' && (await countAdmins(tx)) <= 1) throw new RapportError('conflict', 'the last admin cannot be removed: add another admin first');
    await deleteUser(tx, user.id);
    await recordAudit(tx, { actor: by.name, actorId: by.id ?? null, action: 'user.remove', targetType: 'user', targetId: user.id });
  });
  return { id: user.id, email: user.email };
}

/** Sets a new password (generated when none is given) and signs the user out everywhere. */
export async function resetPassword(db: Db, key: string, password: string | null, by: Actor): Promise<{ id: string; email: string; password: string; sessionsRevoked: number }> {
  const user = await findUser(db, key);
  if (!user) throw notFound('user', key);
  const next = password ?? generatePassword();
  checkPassword(next);
  const passwordHash = await hashPassword(next);
  const revoked = await db.transaction(async (tx) => {
    await setPasswordHash(tx, user.id, passwordHash);
    const n = await revokeUserSessions(tx, user.id);
    await recordAudit(tx, { actor: by.name, actorId: by.id ?? null, action: 'user.reset_password', targetType: 'user', targetId: user.id, details: { sessionsRevoked: n } });
    return n;
  });
  return { id: user.id, email: user.email, password: next, sessionsRevoked: revoked };
}

/** The user when the password is right, else null. Unknown accounts cost the same time as known ones. */
export async function checkCredentials(db: Db, email: string, password: string): Promise<{ id: string; email: string; role: UserRole } | null> {
  const user = email.trim() ? await userByEmail(db, email.trim()) : null;
  if (!user) {
    decoy ??= hashPassword(generatePassword());
    await verify(await decoy, password).catch(() => false);
    return null;
  }
  const ok = await verify(user.passwordHash, password).catch(() => false);
  return ok ? { id: user.id, email: user.email, role: user.role } : null;
}
