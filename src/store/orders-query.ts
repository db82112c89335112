// Reading orders: newest first, optionally for one customer, keyset-paginated.
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from './database.js';
import { cutPage, decodeCursor, exactTimestamp, isUuid, pageSize, type Page, type PageRequest } from './pagination.js';
import { orders } from './schema/index.js';

export interface OrderView {
  id: string;
  customerId: string;
  externalId: string;
  /** Decimal as text (e.g. "1299.00"): money stays exact. */
  amount: string;
  currency: string;
  status: string;
  orderedAt: string;
  createdAt: string;
  updatedAt: string;
}

export function orderView(r: typeof orders.$inferSelect): OrderView {
  return {
    id: r.id,
    customerId: r.customerId,
    externalId: r.externalId,
    amount: String(r.amount),
    currency: r.currency,
    status: r.status,
    orderedAt: r.orderedAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function listOrders(db: DbOrTx, filter: { customerId?: string | undefined }, page: PageRequest = {}): Promise<Page<OrderView>> {
  const limit = pageSize(page.limit);
  const conds: SQL[] = [];
  if (filter.customerId !== undefined) {
    if (!isUuid(filter.customerId)) return { data: [], nextCursor: null };
    conds.push(eq(orders.customerId, filter.customerId));
  }
  if (page.cursor) {
    const [at, id] = decodeCursor(page.cursor, ['timestamp', 'uuid']);
    conds.push(sql`(${orders.orderedAt}, ${orders.id}) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db
    .select({ o: orders, at: exactTimestamp(orders.orderedAt) })
    .from(orders)
    .where(and(...conds))
    .orderBy(desc(orders.orderedAt), desc(orders.id))
    .limit(limit + 1);
  const cut = cutPage(rows, limit, (r) => [r.at, r.o.id]);
  return { data: cut.rows.map((r) => orderView(r.o)), nextCursor: cut.nextCursor };
}

export async function getOrder(db: DbOrTx, id: string): Promise<OrderView | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.select().from(orders).where(eq(orders.id, id));
  return row ? orderView(row) : null;
}
