// Orders, keyed on their external id (the id in the shop or ERP they come from). The importer
// upserts (re-importing an export never duplicates); the API creates, and a taken external id is
// a conflict there: the API does not silently overwrite orders.
import { sql } from 'drizzle-orm';
import { RapportError } from '../core/errors.js';
import type { DbOrTx } from './database.js';
import { orderView, type OrderView } from './orders-query.js';
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

export async function createOrder(db: DbOrTx, o: OrderInput): Promise<OrderView> {
  const [row] = await db.insert(orders).values(o).onConflictDoNothing({ target: orders.externalId }).returning();
  if (!row) throw new RapportError('conflict', `an order with external id ${o.externalId} already exists`, { externalId: o.externalId });
  return orderView(row);
}
