// Customers whose name, email address, phone number or company name contains a text: a set of
// ids from each place the text may be (each answered by its trigram index where pg_trgm exists,
// migrations 0007 and 0008), instead of an OR evaluated customer by customer.
import { sql, type SQL } from 'drizzle-orm';
import { likeContains } from './pagination.js';

/** `select` of customer ids (deleted ones included: the caller filters) containing `text`. */
export function customerIdsContaining(text: string): SQL {
  const p = likeContains(text);
  const digits = text.replace(/[\s()+.-]/g, '');
  const phone = /^\d{4,}$/.test(digits) ? sql` union all select customer_id from identities where kind = 'phone' and value like ${`%${digits}%`}` : sql``;
  return sql`select id from customers where lower(name) like ${p}
      union all select customer_id from identities where kind = 'email' and lower(display) like ${p}
      union all select cu.id from companies co join customers cu on cu.company_id = co.id where lower(co.name) like ${p}${phone}`;
}
