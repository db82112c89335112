// Digest subscriptions and deliveries. Claiming a delivery is an insert on (subscription, slot):
// whoever inserts first sends; everyone else sees the claim and does nothing.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from './database.js';
import { digestDeliveries, digestSubscriptions } from './schema/index.js';

export type DigestSubscription = typeof digestSubscriptions.$inferSelect;
export type NewDigestSubscription = Omit<typeof digestSubscriptions.$inferInsert, 'id' | 'createdAt' | 'active'>;

export async function createSubscription(db: DbOrTx, s: NewDigestSubscription): Promise<{ subscription: DigestSubscription; created: boolean }> {
  const inserted = await db.insert(digestSubscriptions).values(s).onConflictDoNothing().returning();
  if (inserted[0]) return { subscription: inserted[0], created: true };
  const [existing] = await db
    .select()
    .from(digestSubscriptions)
    .where(
      and(
        eq(digestSubscriptions.targetKind, s.targetKind),
        eq(digestSubscriptions.target, s.target),
        sql`coalesce(${digestSubscriptions.owner}, '') = ${s.owner ?? ''}`,
        sql`coalesce(${digestSubscriptions.segment}, '') = ${s.segment ?? ''}`,
      ),
    );
  const [updated] = await db
    .update(digestSubscriptions)
    .set({ at: s.at, timeZone: s.timeZone, active: true })
    .where(eq(digestSubscriptions.id, existing!.id))
    .returning();
  return { subscription: updated!, created: false };
}

export async function listSubscriptions(db: DbOrTx, opts: { activeOnly?: boolean } = {}): Promise<DigestSubscription[]> {
  return db
    .select()
    .from(digestSubscriptions)
    .where(opts.activeOnly ? eq(digestSubscriptions.active, true) : undefined)
    .orderBy(asc(digestSubscriptions.createdAt));
}

export async function getSubscription(db: DbOrTx, id: string): Promise<DigestSubscription | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [row] = await db.select().from(digestSubscriptions).where(eq(digestSubscriptions.id, id));
  return row ?? null;
}

export async function removeSubscription(db: DbOrTx, id: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
  const rows = await db.delete(digestSubscriptions).where(eq(digestSubscriptions.id, id)).returning({ id: digestSubscriptions.id });
  return rows.length > 0;
}

/** Claims (subscription, slot). Returns the delivery id, or null when someone else has it. */
export async function claimDelivery(db: DbOrTx, subscriptionId: string, slot: Date, late: boolean): Promise<string | null> {
  const [row] = await db
    .insert(digestDeliveries)
    .values({ subscriptionId, slot, late })
    .onConflictDoNothing()
    .returning({ id: digestDeliveries.id });
  return row?.id ?? null;
}

export async function finishDelivery(db: DbOrTx, id: string, result: { status: 'sent' | 'failed'; summary?: Record<string, number>; error?: string }): Promise<void> {
  await db
    .update(digestDeliveries)
    .set({
      status: result.status,
      summary: result.summary ?? null,
      error: result.error ?? null,
      sentAt: result.status === 'sent' ? sql`now()` : null,
    })
    .where(eq(digestDeliveries.id, id));
}


export async function listDeliveries(db: DbOrTx, subscriptionId: string) {
  return db.select().from(digestDeliveries).where(eq(digestDeliveries.subscriptionId, subscriptionId)).orderBy(asc(digestDeliveries.slot));
}

/** Takes a failed delivery back for another try, once `retryAfterMs` has passed since its claim. */
export async function reclaimFailed(db: DbOrTx, subscriptionId: string, slot: Date, retryAfterMs: number): Promise<string | null> {
  const [row] = await db
    .update(digestDeliveries)
    .set({ status: 'sending', claimedAt: sql`now()`, error: null })
    .where(
      and(
        eq(digestDeliveries.subscriptionId, subscriptionId),
        eq(digestDeliveries.slot, slot),
        eq(digestDeliveries.status, 'failed'),
        sql`${digestDeliveries.claimedAt} < now() - make_interval(secs => ${retryAfterMs / 1000})`,
      ),
    )
    .returning({ id: digestDeliveries.id });
  return row?.id ?? null;
}
