// Searching at size: a search ranks the newest SEARCH_CANDIDATES matches (found through the time
// index, so a common word does not read and rank every match), best first among them, and pages
// through them without gaps; an older match is reached by narrowing the time. The console's
// customer search and the API's list read trigram indexes on email addresses and phone numbers
// (migration 0008).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_CANDIDATES, searchCommunications } from '../../src/store/communications-query.js';
import { listConsoleCustomers } from '../../src/store/console-customers-query.js';
import { listCustomers } from '../../src/store/customers-query.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
const MATCHES = SEARCH_CANDIDATES + 40;
const CUSTOMERS = 20_000;

async function plan(query: ReturnType<typeof sql>): Promise<string> {
  const res = (await database.db.execute(sql`explain ${query}`)) as unknown as { rows: Record<string, string>[] };
  return res.rows.map((r) => Object.values(r)[0]).join('\n');
}

beforeAll(async () => {
  database = await createTestDatabase();
  // MATCHES messages say "parcel", one a minute back from now; the OLDEST says it three times, so
  // it would rank first if every match were ranked. 2,000 others do not match.
  await database.db.execute(sql`
    insert into communications (channel, direction, kind, external_id, text, search_text, occurred_at)
    select 'email', 'inbound', 'message', 'size-' || i,
      case when i = ${MATCHES} then 'parcel parcel parcel late' else 'the parcel ' || i || ' is late' end,
      '', now() - (i || ' minutes')::interval
    from generate_series(1, ${MATCHES}) i`);
  await database.db.execute(sql`
    insert into communications (channel, direction, kind, external_id, text, search_text, occurred_at)
    select 'email', 'inbound', 'message', 'other-' || i, 'invoice ' || i, '', now() - (i || ' seconds')::interval
    from generate_series(1, 2000) i`);
  await database.db.execute(sql`
    insert into customers (id, name) select md5('c' || g)::uuid, 'Customer ' || g from generate_series(1, ${CUSTOMERS}) g`);
  await database.db.execute(sql`
    insert into identities (customer_id, kind, value, display)
    select md5('c' || g)::uuid, 'email', 'user' || g || '@firm' || g || '.example', 'User' || g || '@Firm' || g || '.example' from generate_series(1, ${CUSTOMERS}) g
    union all
    select md5('c' || g)::uuid, 'phone', '+8613' || lpad(g::text, 9, '0'), '+8613' || lpad(g::text, 9, '0') from generate_series(1, ${CUSTOMERS}) g`);
  await database.db.execute(sql`vacuum analyze communications`);
  await database.db.execute(sql`vacuum analyze identities`);
  await database.db.execute(sql`vacuum analyze customers`);
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe('search at size', () => {
  it(`ranks only the newest ${SEARCH_CANDIDATES} matches, best first, and pages through exactly those`, async () => {
    const seen: { rank: number; text: string }[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await searchCommunications(database.db, { q: 'parcel' }, { limit: 100, cursor });
      seen.push(...page.data.map((h) => ({ rank: h.rank, text: h.text })));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toHaveLength(SEARCH_CANDIDATES);
    expect(new Set(seen.map((h) => h.text)).size).toBe(SEARCH_CANDIDATES);
    expect([...seen].sort((a, b) => b.rank - a.rank).map((h) => h.rank)).toEqual(seen.map((h) => h.rank));
    // The oldest match, the best by rank, is beyond the newest SEARCH_CANDIDATES …
    expect(seen.map((h) => h.text)).not.toContain('parcel parcel parcel late');
    // … and is first once the search is narrowed to its time.
    const old = await searchCommunications(database.db, { q: 'parcel', to: new Date(Date.now() - (MATCHES - 5) * 60_000) }, { limit: 10 });
    expect(old.data[0]!.text).toBe('parcel parcel parcel late');
  });

  it('finds customers by part of an email address or phone number through trigram indexes', async () => {
    const byEmail = await listConsoleCustomers(database.db, { q: 'user12345@' }, { limit: 50 });
    expect(byEmail.data.map((c) => c.name)).toEqual(['Customer 12345']);
    const byPhone = await listConsoleCustomers(database.db, { q: '13 000 012 345' }, { limit: 50 });
    expect(byPhone.data.map((c) => c.name)).toEqual(['Customer 12345']);
    // The API's list reads the same sets.
    expect((await listCustomers(database.db, { q: 'USER12345@firm' })).data.map((c) => c.name)).toEqual(['Customer 12345']);
    expect((await listCustomers(database.db, { q: '+86 13000012345' })).data.map((c) => c.name)).toEqual(['Customer 12345']);
    const explained = await plan(sql`select customer_id from identities where kind = 'email' and lower(display) like '%user12345@%'
      union all select customer_id from identities where kind = 'phone' and value like '%13000012345%'`);
    expect(explained).toMatch(/identities_email_display_trgm_idx/);
    expect(explained).toMatch(/identities_phone_value_trgm_idx/);
  });
});
