// Reading companies, by name order, with how many (not deleted) customers each has.
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from './database.js';
import { cutPage, decodeCursor, isUuid, likeContains, pageSize, type Page, type PageRequest } from './pagination.js';
import { companies, customers } from './schema/index.js';

export interface CompanyDetails {
  id: string;
  name: string;
  domains: string[];
  customerCount: number;
  createdAt: string;
  updatedAt: string;
}

// Spelled out: Drizzle leaves column names unqualified inside a select list, where "id" would
// mean the inner table's.
const customerCount = sql<number>`(select count(*) from ${customers} c where c.company_id = "companies"."id" and c.deleted_at is null)`;
const lowerName = sql<string>`lower(${companies.name})`;

const toDetails = (r: { c: typeof companies.$inferSelect; n: number | string }): CompanyDetails => ({
  id: r.c.id,
  name: r.c.name,
  domains: r.c.domains,
  customerCount: Number(r.n),
  createdAt: r.c.createdAt.toISOString(),
  updatedAt: r.c.updatedAt.toISOString(),
});

/** Companies whose name contains `q` or that own the domain `q`; ordered by name. */
export async function listCompanies(db: DbOrTx, filter: { q?: string | undefined }, page: PageRequest = {}): Promise<Page<CompanyDetails>> {
  const limit = pageSize(page.limit);
  const conds: SQL[] = [];
  const q = filter.q?.trim();
  if (q) conds.push(sql`(${lowerName} like ${likeContains(q)} or ${companies.domains} @> array[${q.toLowerCase()}]::text[])`);
  if (page.cursor) {
    // lower(name) is unique, so it alone is a total order.
    const [after] = decodeCursor(page.cursor, ['string']);
    conds.push(sql`${lowerName} > ${after}`);
  }
  const rows = await db
    .select({ c: companies, n: customerCount, key: lowerName })
    .from(companies)
    .where(and(...conds))
    .orderBy(asc(lowerName))
    .limit(limit + 1);
  const cut = cutPage(rows, limit, (r) => [r.key]);
  return { data: cut.rows.map(toDetails), nextCursor: cut.nextCursor };
}

export async function getCompany(db: DbOrTx, id: string): Promise<CompanyDetails | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.select({ c: companies, n: customerCount }).from(companies).where(eq(companies.id, id));
  return row ? toDetails(row) : null;
}

