// Orders, keyed on their external id (the id in the shop or ERP they come from): writing the same
// order again updates it, so re-importing an export never duplicates.
import { sql } from 'drizzle-orm';
import type { DbOrTx } from './database.js';
import { orders } from './schema/index.js';

export interface OrderInput {
  customerId: string;
  externalId: string;
  /** Exact decimal string (numeric(14,2)); money never goes through a float. */
  amount: string;
  currency: string;
  status: string;
  orderedAt: Date;
}

export async function upsertOrder(db: DbOrTx, o: OrderInput): Promise<{ id: string; created: boolean }> {
  const [row] = await db
    .insert(orders)
    .values(o)
    .onConflictDoUpdate({
      target: orders.externalId,
      set: {
        customerId: sql`excluded.customer_id`,
        amount: sql`excluded.amount`,
        currency: sql`excluded.currency`,
        status: sql`excluded.status`,
        orderedAt: sql`excluded.ordered_at`,
        updatedAt: sql`now()`,
      },
    })
    // xmax is 0 on a freshly inserted row version and set on one written by ON CONFLICT UPDATE.
    .returning({ id: orders.id, created: sql<boolean>`(xmax = 0)` });
  return { id: row!.id, created: Boolean(row!.created) };
}
