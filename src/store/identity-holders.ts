// Who holds which identities, for many identities in one query: the importer asks once per batch
// instead of several queries per row.
import { sql } from 'drizzle-orm';
import type { IdentityKind, NormalizedIdentity } from '../core/customers.js';
import type { DbOrTx } from './database.js';
import { textArray } from './sql-arrays.js';

export interface IdentityHolder {
  customerId: string;
  kind: IdentityKind;
  value: string;
  /** The holder's external id, if it has one. */
  externalId: string | null;
}

type Row = { customer_id: string; kind: IdentityKind; value: string; first_kind: string | null; first_value: string | null };

/** Holders (customers not deleted) of any of these identities, with each holder's external id. */
export async function identityHolders(db: DbOrTx, ids: Pick<NormalizedIdentity, 'kind' | 'value'>[]): Promise<IdentityHolder[]> {
  const keys = [...new Map(ids.map((i) => [`${i.kind}\u0000${i.value}`, i])).values()];
  if (keys.length === 0) return [];
  // One index probe per identity, whatever the planner believes: the lateral subqueries (kept apart
  // by their LIMIT) can only be answered through the unique (kind, value) index and the customer_id
  // index. During a bulk import the tables' statistics are stale (autovacuum analyzes a minute later,
  // PGlite never): a plain join or `in (…)` was planned as a hash join over all identities, a scan
  // that grew with the table (18 ms a batch at 20,000 customers). The holder's first external id is
  // its identities' first row once external ids are sorted first.
  const result = await db.execute<Row>(sql`
    select q.kind, q.value, h.customer_id, x.kind as first_kind, x.value as first_value
    from unnest(${textArray(keys.map((i) => i.kind))}, ${textArray(keys.map((i) => i.value))}) as q(kind, value)
    cross join lateral (
      select i.customer_id from identities i join customers c on c.id = i.customer_id and c.deleted_at is null
      where i.kind = q.kind and i.value = q.value limit 1
    ) h
    left join lateral (
      select e.kind, e.value from identities e where e.customer_id = h.customer_id order by e.kind <> 'external_id', e.created_at limit 1
    ) x on true`);
  return (result as unknown as { rows: Row[] }).rows.map((r) => ({
    customerId: r.customer_id,
    kind: r.kind,
    value: r.value,
    externalId: r.first_kind === 'external_id' ? r.first_value : null,
  }));
}
