// Our own people beyond RAPPORT_INTERNAL_DOMAINS (a colleague on gmail.com, a Slack user): their
// messages are outbound or internal, never a customer's.
import { and, asc, eq } from 'drizzle-orm';
import { identityFor, type NormalizedIdentity } from '../core/customers.js';
import { validationError } from '../core/errors.js';
import type { DbOrTx } from './database.js';
import { staffIdentities } from './schema/index.js';

export interface StaffView {
  id: string;
  kind: 'email' | 'slack_user' | 'phone';
  value: string;
  display: string;
  name: string | null;
  createdAt: string;
}

/** "alice@x.com" → email, "U012ABC" → Slack user, "+86 138…" → phone; anything else is a validation error. */
export function parseStaffIdentity(raw: string, defaultRegion: string): NormalizedIdentity & { kind: StaffView['kind'] } {
  const s = raw.trim();
  const kind = s.includes('@') ? 'email' : /^[UW][A-Z0-9]{2,}$/i.test(s) ? 'slack_user' : 'phone';
  const id = identityFor(kind, s, defaultRegion);
  if (!id) {
    throw validationError(`not an email address, Slack user id or phone number: ${JSON.stringify(raw)}`, [{ field: 'identity', message: 'unrecognized' }]);
  }
  return id as NormalizedIdentity & { kind: StaffView['kind'] };
}

const view = (r: typeof staffIdentities.$inferSelect): StaffView => ({
  id: r.id, kind: r.kind, value: r.value, display: r.display, name: r.name, createdAt: r.createdAt.toISOString(),
});

/** Adds (or renames) a staff identity; adding one twice is not an error. */
export async function addStaff(db: DbOrTx, raw: string, name: string | null, defaultRegion: string): Promise<{ staff: StaffView; created: boolean }> {
  const id = parseStaffIdentity(raw, defaultRegion);
  const inserted = await db
    .insert(staffIdentities)
    .values({ kind: id.kind, value: id.value, display: id.display, name })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return { staff: view(inserted[0]), created: true };
  const [row] = await db
    .update(staffIdentities)
    .set(name ? { name } : { display: id.display })
    .where(and(eq(staffIdentities.kind, id.kind), eq(staffIdentities.value, id.value)))
    .returning();
  return { staff: view(row!), created: false };
}

export async function removeStaff(db: DbOrTx, raw: string, defaultRegion: string): Promise<boolean> {
  const id = parseStaffIdentity(raw, defaultRegion);
  const rows = await db
    .delete(staffIdentities)
    .where(and(eq(staffIdentities.kind, id.kind), eq(staffIdentities.value, id.value)))
    .returning({ id: staffIdentities.id });
  return rows.length > 0;
}

export async function listStaff(db: DbOrTx): Promise<StaffView[]> {
  const rows = await db.select().from(staffIdentities).orderBy(asc(staffIdentities.kind), asc(staffIdentities.display));
  return rows.map(view);
}
