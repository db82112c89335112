// One order created through the API. (Bulk, idempotent writes from CSV live with the importer.)
// An external id that already exists is a conflict: the API does not silently overwrite orders.
import { RapportError } from '../core/errors.js';
import type { DbOrTx } from './database.js';
import { orderView, type OrderView } from './orders-query.js';
import { orders } from './schema/index.js';

export interface NewOrder {
  customerId: string;
  externalId: string;
  amount: string;
  currency: string;
  status: string;
  orderedAt: Date;
}

export async function createOrder(db: DbOrTx, o: NewOrder): Promise<OrderView> {
  const [row] = await db.insert(orders).values(o).onConflictDoNothing({ target: orders.externalId }).returning();
  if (!row) throw new RapportError('conflict', `an order with external id ${o.externalId} already exists`, { externalId: o.externalId });
  return orderView(row);
}
