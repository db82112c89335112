// Merging two customers: everything pointing at the source — identities, communications, orders,
// threads, review items, and any table added later with a foreign key to customers — moves to the
// target, in one transaction. The source is soft-deleted (kept, marked `merged_into`), and an audit
// row records who merged, when, what moved and the source as it was. Nothing is deleted.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { notFound, validationError } from '../core/errors.js';
import { getCustomers } from './customers-repo.js';
import type { Db, DbOrTx } from './database.js';
import { isUuid } from './pagination.js';
import { customerMerges, customers } from './schema/index.js';
import { queryRows } from './rows.js';

export interface MergeResult {
  mergeId: string;
  sourceId: string;
  targetId: string;
  mergedBy: string;
  mergedAt: string;
  /** Rows moved per table ("identities", "communications", "orders", "threads", "review_items", …). */
  moved: Record<string, number>;
  /** Rows left on the (deleted) source because the target already had their unique counterpart. */
  kept: Record<string, number>;
}

interface ForeignKey {
  table: string;
  column: string;
}

/** Every column that references customers(id), found in the catalog so new tables are not forgotten. */
async function customerReferences(db: DbOrTx): Promise<ForeignKey[]> {
  const result = await queryRows<ForeignKey>(db, sql`
    select cl.relname as "table", a.attname as "column"
    from pg_constraint c
    join pg_class cl on cl.oid = c.conrelid
    join pg_namespace n on n.oid = cl.relnamespace
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
    where c.contype = 'f' and c.confrelid = 'customers'::regclass and n.nspname = current_schema()
    order by 1, 2`);
  // The audit table keeps pointing at the source on purpose.
  return result.filter((r) => r.table !== 'customer_merges');
}

const keyOf = (fk: ForeignKey) => (fk.column === 'customer_id' ? fk.table : `${fk.table}.${fk.column}`);

export async function mergeCustomers(db: Db, sourceId: string, targetId: string, mergedBy: string): Promise<MergeResult> {
  if (sourceId === targetId) throw validationError('a customer cannot be merged into itself', [{ field: 'target', message: 'same as source' }]);
  return db.transaction(async (tx) => {
    // Lock both rows in a fixed order so two merges of the same pair cannot deadlock.
    const locked = new Map<string, typeof customers.$inferSelect>();
    for (const id of [sourceId, targetId].sort()) {
      const [row] = isUuid(id) ? await tx.select().from(customers).where(and(eq(customers.id, id), isNull(customers.deletedAt))).for('update') : [];
      if (!row) throw notFound('customer', id);
      locked.set(id, row);
    }
    const source = locked.get(sourceId)!;
    const target = locked.get(targetId)!;
    const [snapshot] = await getCustomers(tx, [sourceId]);

    const moved: Record<string, number> = {};
    const kept: Record<string, number> = {};
    for (const fk of await customerReferences(tx)) {
      const table = sql.identifier(fk.table);
      const column = sql.identifier(fk.column);
      try {
        // A savepoint per table: a unique clash (the target already has its own row there) keeps
        // the source's rows where they are instead of failing the merge.
        const n = await tx.transaction(async (sp) => {
          const r = await queryRows(sp, sql`update ${table} set ${column} = ${targetId}::uuid where ${column} = ${sourceId}::uuid returning 1`);
          return r.length;
        });
        moved[keyOf(fk)] = n;
      } catch (e) {
        if ((e as { code?: string }).code !== '23505' && (e as { cause?: { code?: string } }).cause?.code !== '23505') throw e;
        const r = await queryRows<{ n: number }>(tx, sql`select count(*) as n from ${table} where ${column} = ${sourceId}::uuid`);
        kept[keyOf(fk)] = Number(r[0]?.n ?? 0);
      }
    }

    await tx
      .update(customers)
      .set({
        companyId: target.companyId ?? source.companyId,
        owner: target.owner ?? source.owner,
        tags: sql`(select coalesce(array_agg(distinct t order by t), '{}') from unnest(${customers.tags} || ${sql.param(source.tags)}::text[]) t)`,
        // The target's attributes win; the source's fill the gaps.
        attributes: sql`${JSON.stringify(source.attributes)}::jsonb || ${customers.attributes}`,
        updatedAt: sql`now()`,
      })
      .where(eq(customers.id, targetId));
    await tx
      .update(customers)
      .set({ deletedAt: sql`now()`, updatedAt: sql`now()`, attributes: sql`${customers.attributes} || ${JSON.stringify({ merged_into: targetId })}::jsonb` })
      .where(eq(customers.id, sourceId));

    const [audit] = await tx
      .insert(customerMerges)
      .values({
        sourceCustomerId: sourceId,
        targetCustomerId: targetId,
        mergedBy,
        moved,
        kept,
        sourceSnapshot: snapshot as unknown as Record<string, unknown>,
      })
      .returning();
    return {
      mergeId: audit!.id,
      sourceId,
      targetId,
      mergedBy,
      mergedAt: audit!.mergedAt.toISOString(),
      moved,
      kept,
    };
  });
}

export async function listMerges(db: DbOrTx, customerId: string) {
  return db
    .select()
    .from(customerMerges)
    .where(sql`${customerMerges.sourceCustomerId} = ${customerId}::uuid or ${customerMerges.targetCustomerId} = ${customerId}::uuid`)
    .orderBy(customerMerges.mergedAt);
}

/** What a merge of `sourceId` would move: rows per referencing table (nothing is written). */
export async function mergePreview(db: DbOrTx, sourceId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const fk of await customerReferences(db)) {
    const r = await queryRows<{ n: number | string }>(db, sql`select count(*) as n from ${sql.identifier(fk.table)} where ${sql.identifier(fk.column)} = ${sourceId}::uuid`);
    const n = Number(r[0]?.n ?? 0);
    if (n > 0) counts[keyOf(fk)] = n;
  }
  return counts;
}
