// Generated CRM data for benchmarks, in SQL (generate_series), identical on PGlite and PostgreSQL:
// companies, customers with an email and a phone, two orders each, threads, and communications one
// minute apart going back from now (so the last 24 hours hold 1,440 of them), of mixed kinds and
// sentiment.
import { sql } from 'drizzle-orm';
import type { Database } from '../src/store/database.js';

/** Bulk generation in SQL (generate_series), identical on PGlite and PostgreSQL. Ids are md5-derived. */
export async function generateCrmData(database: Database, customers: number, communications: number): Promise<void> {
  const db = database.db;
  const companies = Math.max(1, Math.floor(customers / 5));
  await db.execute(sql`insert into companies (id, name, domains)
    select md5('co' || i)::uuid, 'Company ' || i || ' ' || (array['Trading','Logistics','科技','Foods','Labs'])[1 + i % 5], array['company' || i || '.example']
    from generate_series(1, ${companies}) i`);
  await db.execute(sql`insert into customers (id, name, company_id, owner, tags)
    select md5('cu' || i)::uuid, (array['Zhang','Li','Wang','Smith','Garcia','Chen','Liu','Brown'])[1 + i % 8] || ' ' || i,
      md5('co' || (1 + i % ${companies}))::uuid, 'owner' || (i % 7), array['tier' || (i % 3)]
    from generate_series(1, ${customers}) i`);
  await db.execute(sql`insert into identities (customer_id, kind, value, display)
    select md5('cu' || i)::uuid, 'email', 'person' || i || '@company' || (1 + i % ${companies}) || '.example', 'person' || i || '@company' || (1 + i % ${companies}) || '.example'
    from generate_series(1, ${customers}) i`);
  await db.execute(sql`insert into identities (customer_id, kind, value, display)
    select md5('cu' || i)::uuid, 'phone', '+86139' || lpad(i::text, 8, '0'), '+86139' || lpad(i::text, 8, '0')
    from generate_series(1, ${customers}) i`);
  await db.execute(sql`insert into orders (customer_id, external_id, amount, currency, status, ordered_at)
    select md5('cu' || (1 + i % ${customers}))::uuid, 'order-' || i, (10 + i % 990)::numeric, 'CNY', 'paid', now() - (i || ' hours')::interval
    from generate_series(1, ${customers * 2}) i`);
  await db.execute(sql`insert into threads (id, channel, thread_key, customer_id, kind, status, subject, first_at, last_at)
    select md5('th' || i)::uuid, 'email', 'bench-thread-' || i, md5('cu' || (1 + i % ${customers}))::uuid,
      (array['message','feedback','issue'])[1 + i % 3], 'open', 'Subject ' || i, now() - interval '30 days', now() - (i || ' minutes')::interval
    from generate_series(1, ${Math.floor(communications / 5)}) i`);
  for (let start = 1; start <= communications; start += 20_000) {
    const end = Math.min(communications, start + 19_999);
    await db.execute(sql`insert into communications (channel, direction, kind, external_id, thread_id, customer_id, company_id, subject, text, participants, occurred_at, keywords, search_text, sentiment)
      select 'email', (array['inbound','outbound'])[1 + i % 2], (array['message','feedback','issue','complaint','question'])[1 + i % 5], 'bench-' || i, md5('th' || (1 + i % ${Math.floor(communications / 5)}))::uuid,
        md5('cu' || (1 + i % ${customers}))::uuid, md5('co' || (1 + (1 + i % ${customers}) % ${companies}))::uuid,
        'Subject ' || i, 'Message ' || i || ' about the order, delivery and refund. 发货 退款 客服 ' || i,
        jsonb_build_array(jsonb_build_object('role', 'from', 'email', 'person' || (1 + i % ${customers}) || '@example.com', 'name', 'Person ' || i)),
        now() - (i || ' minutes')::interval, array[(array['refund','delivery','invoice','发货','退款'])[1 + i % 5], 'order'],
        'message about the order delivery refund 发货 退款 客服', ((i % 21) - 10) / 10.0
      from generate_series(${start}::int, ${end}::int) i`);
  }
  await db.execute(sql`analyze`);
}
