// Customers a review item might belong to, best first: the candidates capture found (ambiguous),
// the customers of the company it matched (company only), and customers whose name is the
// sender's name or whose email shares the sender's domain.
import { sql, type SQL } from 'drizzle-orm';
import { getCustomers, type CustomerView } from './customers-repo.js';
import type { DbOrTx } from './database.js';
import type { ReviewItemView } from './review-repo.js';
import { queryRows } from './rows.js';

const freeMail = new Set(['gmail.com', 'qq.com', '163.com', '126.com', 'outlook.com', 'hotmail.com', 'yahoo.com', 'icloud.com', 'foxmail.com', 'sina.com']);

export async function reviewSuggestions(db: DbOrTx, item: ReviewItemView, limit = 5): Promise<CustomerView[]> {
  const ids: string[] = item.candidates.flatMap((c) => (c.customerId ? [c.customerId] : []));
  const companyIds = [item.company?.id, ...item.candidates.map((c) => c.companyId)].filter((x): x is string => Boolean(x));
  const parts: SQL[] = [];
  if (companyIds.length) parts.push(sql`select id from customers where company_id = any(${sql.param(companyIds)}::uuid[]) and deleted_at is null`);
  const name = item.contact?.name?.trim();
  if (name) parts.push(sql`select id from customers where lower(name) = lower(${name}) and deleted_at is null`);
  const domain = item.contact?.email?.split('@')[1]?.toLowerCase();
  if (domain && !freeMail.has(domain)) {
    parts.push(sql`select customer_id from identities where kind = 'email' and value like ${`%@${domain.replace(/[\\%_]/g, (c) => `\\${c}`)}`}`);
  }
  if (parts.length) {
    const found = await queryRows<{ id: string }>(db, sql`select id from (${sql.join(parts, sql` union `)}) x(id) limit ${limit * 2}`);
    for (const r of found) if (!ids.includes(r.id)) ids.push(r.id);
  }
  return (await getCustomers(db, ids.slice(0, limit * 2))).slice(0, limit);
}
