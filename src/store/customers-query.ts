// Reading customers: filtered, keyset-paginated lists (newest first) and lookup by id or identity.
import { and, arrayContains, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { identityFor } from '../core/customers.js';
import type { DbOrTx } from './database.js';
import { findCustomerByIdentity, getCustomer, getCustomers, type CustomerView } from './customers-repo.js';
import { customerIdsContaining } from './customer-text-match.js';
import { cutPage, decodeCursor, exactTimestamp, isUuid, pageSize, type Page, type PageRequest } from './pagination.js';
import { companies, customers } from './schema/index.js';

export interface CustomerFilter {
  /** Text contained in the name, an email address or the company name (case-insensitive). */
  q?: string | undefined;
  tag?: string | undefined;
  /** A company id, or a company name (case-insensitive, exact). */
  company?: string | undefined;
  owner?: string | undefined;
}

function filterConditions(f: CustomerFilter): SQL[] {
  const conds: SQL[] = [isNull(customers.deletedAt)];
  const q = f.q?.trim();
  if (q) {
    conds.push(sql`${customers.id} in (${customerIdsContaining(q)})`);
  }
  if (f.tag?.trim()) conds.push(arrayContains(customers.tags, [f.tag.trim()]));
  const company = f.company?.trim();
  if (company) {
    conds.push(
      isUuid(company)
        ? eq(customers.companyId, company)
        : sql`${customers.companyId} in (select ${companies.id} from ${companies} where lower(${companies.name}) = lower(${company}))`,
    );
  }
  if (f.owner?.trim()) conds.push(eq(customers.owner, f.owner.trim()));
  return conds;
}

export async function listCustomers(db: DbOrTx, filter: CustomerFilter, page: PageRequest = {}): Promise<Page<CustomerView>> {
  const limit = pageSize(page.limit);
  const conds = filterConditions(filter);
  if (page.cursor) {
    const [at, id] = decodeCursor(page.cursor, ['timestamp', 'uuid']);
    conds.push(sql`(${customers.createdAt}, ${customers.id}) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db
    .select({ id: customers.id, at: exactTimestamp(customers.createdAt) })
    .from(customers)
    .where(and(...conds))
    .orderBy(desc(customers.createdAt), desc(customers.id))
    .limit(limit + 1);
  const cut = cutPage(rows, limit, (r) => [r.at, r.id]);
  return { data: await getCustomers(db, cut.rows.map((r) => r.id)), nextCursor: cut.nextCursor };
}

/**
 * A customer by id, email, external id or phone (in that order of trying); null when none matches.
 * Deleted customers are not found.
 */
export async function resolveCustomer(db: DbOrTx, key: string, defaultRegion: string): Promise<CustomerView | null> {
  const k = key.trim();
  if (isUuid(k)) return getCustomer(db, k);
  const kinds = k.includes('@') ? (['email'] as const) : (['external_id', 'phone', 'slack_user'] as const);
  for (const kind of kinds) {
    const identity = identityFor(kind, k, defaultRegion);
    if (!identity) continue;
    const id = await findCustomerByIdentity(db, kind, identity.value);
    if (id) return getCustomer(db, id);
  }
  return null;
}

/** True when a customer with this id exists and is not deleted. */
export async function customerExists(db: DbOrTx, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const rows = await db.select({ id: customers.id }).from(customers).where(and(eq(customers.id, id), isNull(customers.deletedAt)));
  return rows.length > 0;
}
