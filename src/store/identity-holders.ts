// Who holds which identities, for many identities in one query: the importer asks once per batch
// instead of several queries per row.
import { sql } from 'drizzle-orm';
import type { IdentityKind, NormalizedIdentity } from '../core/customers.js';
import type { DbOrTx } from './database.js';

export interface IdentityHolder {
  customerId: string;
  kind: IdentityKind;
  value: string;
  /** The holder's external id, if it has one. */
  externalId: string | null;
}

type Row = { customer_id: string; kind: IdentityKind; value: string; external_id: string | null };

/** Holders (customers not deleted) of any of these identities, with each holder's external id. */
export async function identityHolders(db: DbOrTx, ids: Pick<NormalizedIdentity, 'kind' | 'value'>[]): Promise<IdentityHolder[]> {
  if (ids.length === 0) return [];
  const result = await db.execute<Row>(sql`
    select i.customer_id, i.kind, i.value,
      (select e.value from identities e where e.customer_id = i.customer_id and e.kind = 'external_id' order by e.created_at limit 1) as external_id
    from identities i
    join customers c on c.id = i.customer_id and c.deleted_at is null
    where (i.kind, i.value) in (
      select * from unnest(${sql.param(ids.map((i) => i.kind))}::text[], ${sql.param(ids.map((i) => i.value))}::text[])
    )`);
  return (result as unknown as { rows: Row[] }).rows.map((r) => ({ customerId: r.customer_id, kind: r.kind, value: r.value, externalId: r.external_id }));
}
