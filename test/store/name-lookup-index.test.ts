// Name lookups at size read the pg_trgm indexes of migration 0007 (on PGlite as on PostgreSQL):
// the plan of the very query lookupCustomers runs names them, and the lookup finds the customer.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupCustomers, nameLookupQuery } from '../../src/store/customer-lookup.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const CUSTOMERS = 30_000;
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  // Names with little in common (hex from md5), a company for every tenth customer.
  await database.db.execute(sql`
    insert into companies (name) select 'Firm ' || substr(md5('co' || g), 1, 10) from generate_series(1, ${CUSTOMERS / 10}) g`);
  await database.db.execute(sql`
    insert into customers (name, company_id)
    select 'Person ' || substr(md5('cu' || g), 1, 10),
      case when g % 10 = 0 then (select id from companies where name = 'Firm ' || substr(md5('co' || (g / 10)), 1, 10)) end
    from generate_series(1, ${CUSTOMERS}) g`);
  // As autovacuum would: a bulk insert leaves the rows in the GIN pending list, which the planner
  // rightly counts against the index until it is merged.
  await database.db.execute(sql`vacuum analyze customers`);
  await database.db.execute(sql`vacuum analyze companies`);
}, 120_000);

afterAll(async () => {
  await database?.close();
});

async function plan(name: string): Promise<string> {
  const res = (await database.db.execute(sql`explain ${nameLookupQuery(name, 11)}`)) as unknown as { rows: Record<string, string>[] };
  return res.rows.map((r) => Object.values(r)[0]).join('\n');
}

describe('name lookup at size', () => {
  it(`reads the trigram indexes for part of a name among ${CUSTOMERS.toLocaleString('en')} customers`, async () => {
    const part = (await database.db.execute(sql`select substr(md5('cu' || 12345), 2, 6) as part`)) as unknown as { rows: { part: string }[] };
    const text = part.rows[0]!.part;
    const explained = await plan(text);
    expect(explained).toMatch(/customers_name_trgm_idx/);
    expect(explained).toMatch(/companies_name_trgm_idx/);
    expect(explained).not.toMatch(/Seq Scan on customers/);

    const outcome = await lookupCustomers(database.db, text.toUpperCase(), { limit: 10, defaultRegion: 'US' });
    expect(outcome.matches.map((m) => m.name)).toContain(`Person ${(await database.db.execute(sql`select substr(md5('cu' || 12345), 1, 10) as n`) as unknown as { rows: { n: string }[] }).rows[0]!.n}`);
  });

  it('finds customers by part of their company name the same way', async () => {
    const res = (await database.db.execute(sql`select substr(md5('co' || 777), 1, 10) as n`)) as unknown as { rows: { n: string }[] };
    const firm = `Firm ${res.rows[0]!.n}`;
    const outcome = await lookupCustomers(database.db, res.rows[0]!.n.slice(1, 8), { limit: 10, defaultRegion: 'US' });
    expect(outcome.matches.length).toBeGreaterThan(0);
    expect(outcome.matches.every((m) => m.company === firm)).toBe(true);
  });
});
