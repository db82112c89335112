// Customers, their identities and companies. Every function takes a Db or a transaction; callers
// that write several rows wrap them in one transaction so nothing is half-written.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { IdentityKind, NormalizedCustomer, NormalizedIdentity } from '../core/customers.js';
import { RapportError } from '../core/errors.js';
import type { DbOrTx } from './database.js';
import { companies, customers, identities } from './schema/index.js';
import { nullableTextArray, textArray, textArrayColumn, uuidArray } from './sql-arrays.js';

export interface CompanyView {
  id: string;
  name: string;
  domains: string[];
}

export interface CustomerView {
  id: string;
  name: string;
  company: CompanyView | null;
  owner: string | null;
  tags: string[];
  attributes: Record<string, unknown>;
  emails: string[];
  phones: string[];
  slackUsers: string[];
  externalId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Finds or creates a company by (case-insensitive) name and adds any new domains to it. */
export async function ensureCompany(db: DbOrTx, company: { name: string; domains: string[] }): Promise<string> {
  // Drizzle's onConflict cannot target the lower(name) expression index, hence plain SQL here.
  const result = await db.execute<{ id: string }>(sql`
    insert into companies (name, domains) values (${company.name}, ${sql.param(company.domains)}::text[])
    on conflict (lower(name)) do update set
      domains = (select coalesce(array_agg(distinct d order by d), '{}') from unnest(companies.domains || excluded.domains) d),
      updated_at = case when companies.domains @> excluded.domains then companies.updated_at else now() end
    returning id`);
  // db.execute's declared result type is unknown on the shared Db type; both drivers return { rows }.
  const row = (result as { rows: { id: string }[] }).rows[0];
  return row!.id;
}

/** The companies of these names (lower case; one statement, whatever their number). */
export async function findCompaniesByName(db: DbOrTx, lowerNames: string[]): Promise<CompanyView[]> {
  if (lowerNames.length === 0) return [];
  // One probe of the unique lower(name) index per name (the LIMIT keeps the lateral subquery apart):
  // with the statistics a bulk import leaves stale, `lower(name) = any(…)` was answered through the
  // trigram index, 36 ms for 125 names.
  const result = await db.execute<{ id: string; name: string; domains: string[] }>(sql`
    select c.id, c.name, c.domains from unnest(${textArray(lowerNames)}) as q(name)
    cross join lateral (select id, name, domains from companies where lower(name) = q.name limit 1) c`);
  return (result as { rows: CompanyView[] }).rows;
}

/**
 * Creates the companies none of which exists yet, in one statement, each with its name and domains as
 * given. A name that exists after all (another writer's, or one given twice) is skipped: it is not in
 * the ids returned, and ensureCompany is the way to it.
 */
export async function insertCompanies(db: DbOrTx, list: { name: string; domains: string[] }[]): Promise<{ id: string; name: string }[]> {
  if (list.length === 0) return [];
  const result = await db.execute<{ id: string; name: string }>(sql`
    insert into companies (name, domains)
    select v.name, v.domains::text[] from unnest(${textArray(list.map((c) => c.name))}, ${textArrayColumn(list.map((c) => c.domains))}) as v(name, domains)
    on conflict (lower(name)) do nothing
    returning id, name`);
  return (result as { rows: { id: string; name: string }[] }).rows;
}

/**
 * Creates customers none of whose identities anybody holds (the importer has just looked), with
 * their identities, in two statements whatever their number; returns their ids in order. An
 * identity taken after all fails the statement (unique violation), and the caller's transaction
 * with it.
 */
export async function insertNewCustomers(db: DbOrTx, list: { customer: NormalizedCustomer; companyId: string | null }[]): Promise<string[]> {
  if (list.length === 0) return [];
  const ids = list.map(() => randomUUID());
  const cs = list.map((r) => r.customer);
  await db.execute(sql`
    insert into ${customers} (id, name, company_id, owner, tags, attributes)
    select v.id, v.name, v.company_id, v.owner, v.tags::text[], v.attributes::jsonb
    from unnest(${uuidArray(ids)}, ${textArray(cs.map((c) => c.name))}, ${uuidArray(list.map((r) => r.companyId))},
      ${nullableTextArray(cs.map((c) => c.owner))}, ${textArrayColumn(cs.map((c) => c.tags))}, ${textArray(cs.map((c) => JSON.stringify(c.attributes)))})
      as v(id, name, company_id, owner, tags, attributes)`);
  const rows = cs.flatMap((c, n) => c.identities.map((i) => ({ customerId: ids[n]!, ...i })));
  if (rows.length > 0) {
    await db.execute(sql`
      insert into ${identities} (customer_id, kind, value, display)
      select * from unnest(${uuidArray(rows.map((i) => i.customerId))}, ${textArray(rows.map((i) => i.kind))}, ${textArray(rows.map((i) => i.value))}, ${textArray(rows.map((i) => i.display))})`);
  }
  return ids;
}

/** Customers (not deleted) holding any of these identities. */
export async function findCustomerIdsByIdentities(db: DbOrTx, ids: Pick<NormalizedIdentity, 'kind' | 'value'>[]): Promise<{ customerId: string; kind: IdentityKind; value: string }[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ customerId: identities.customerId, kind: identities.kind, value: identities.value })
    .from(identities)
    .innerJoin(customers, eq(customers.id, identities.customerId))
    .where(and(isNull(customers.deletedAt), or(...ids.map((i) => and(eq(identities.kind, i.kind), eq(identities.value, i.value))))));
  return rows;
}

export async function findCustomerByIdentity(db: DbOrTx, kind: IdentityKind, value: string): Promise<string | null> {
  const [row] = await findCustomerIdsByIdentities(db, [{ kind, value }]);
  return row?.customerId ?? null;
}

/**
 * Adds identities to a customer. An identity already held by another customer is a conflict
 * (the caller's transaction rolls back); one already held by this customer is left as is.
 */
export async function addIdentities(db: DbOrTx, customerId: string, ids: NormalizedIdentity[]): Promise<void> {
  if (ids.length === 0) return;
  const holders = await findAnyHolders(db, ids);
  const foreign = holders.filter((h) => h.customerId !== customerId);
  if (foreign.length > 0) {
    throw new RapportError('conflict', `${foreign.map((f) => `${f.kind} ${f.value}`).join(', ')} already belongs to another customer`, {
      identities: foreign,
    });
  }
  const fresh = ids.filter((i) => !holders.some((h) => h.kind === i.kind && h.value === i.value));
  if (fresh.length > 0) {
    const inserted = await db
      .insert(identities)
      .values(fresh.map((i) => ({ customerId, kind: i.kind, value: i.value, display: i.display })))
      .onConflictDoNothing()
      .returning({ id: identities.id });
    // Skipped rows were taken by a transaction that committed after our check: by whom?
    if (inserted.length < fresh.length) {
      const raced = (await findAnyHolders(db, fresh)).filter((h) => h.customerId !== customerId);
      if (raced.length > 0) {
        throw new RapportError('conflict', `${raced.map((f) => `${f.kind} ${f.value}`).join(', ')} already belongs to another customer`, {
          identities: raced,
        });
      }
    }
  }
}

async function findAnyHolders(db: DbOrTx, ids: Pick<NormalizedIdentity, 'kind' | 'value'>[]) {
  return db
    .select({ customerId: identities.customerId, kind: identities.kind, value: identities.value })
    .from(identities)
    .where(or(...ids.map((i) => and(eq(identities.kind, i.kind), eq(identities.value, i.value)))));
}

/** Creates a customer with its company (or the `companyId` given) and identities. */
export async function createCustomer(db: DbOrTx, c: NormalizedCustomer, known: { companyId?: string } = {}): Promise<string> {
  const companyId = known.companyId ?? (c.company ? await ensureCompany(db, c.company) : null);
  const [row] = await db
    .insert(customers)
    .values({ name: c.name, companyId, owner: c.owner, tags: c.tags, attributes: c.attributes })
    .returning({ id: customers.id });
  await addIdentities(db, row!.id, c.identities);
  return row!.id;
}

/**
 * Create or update: the customer is found by external id first, then by any identity. On update,
 * name/company/owner are replaced when given, tags and identities are added, attributes merged.
 * Two different existing customers matched by the input is a conflict.
 */
export async function upsertCustomer(db: DbOrTx, c: NormalizedCustomer): Promise<{ id: string; created: boolean }> {
  const ext = c.identities.find((i) => i.kind === 'external_id');
  let id: string | null = ext ? await findCustomerByIdentity(db, 'external_id', ext.value) : null;
  if (!id) {
    const found = [...new Set((await findCustomerIdsByIdentities(db, c.identities)).map((r) => r.customerId))];
    if (found.length > 1) {
      throw new RapportError('conflict', 'the identities given belong to more than one customer', { customers: found });
    }
    id = found[0] ?? null;
  }
  if (!id) return { id: await createCustomer(db, c), created: true };
  const companyId = c.company ? await ensureCompany(db, c.company) : undefined;
  await db
    .update(customers)
    .set({
      name: c.name || undefined,
      ...(companyId !== undefined ? { companyId } : {}),
      ...(c.owner ? { owner: c.owner } : {}),
      tags: sql`(select coalesce(array_agg(distinct t order by t), '{}') from unnest(${customers.tags} || ${sql.param(c.tags)}::text[]) t)`,
      attributes: sql`${customers.attributes} || ${JSON.stringify(c.attributes)}::jsonb`,
      updatedAt: sql`now()`,
    })
    .where(eq(customers.id, id));
  await addIdentities(db, id, c.identities);
  return { id, created: false };
}

export async function getCustomers(db: DbOrTx, ids: string[], opts: { includeDeleted?: boolean } = {}): Promise<CustomerView[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ c: customers, co: companies })
    .from(customers)
    .leftJoin(companies, eq(companies.id, customers.companyId))
    .where(and(inArray(customers.id, ids), opts.includeDeleted ? undefined : isNull(customers.deletedAt)));
  const idRows = await db.select().from(identities).where(inArray(identities.customerId, ids));
  const byCustomer = new Map<string, (typeof idRows)[number][]>();
  for (const r of idRows) byCustomer.set(r.customerId, [...(byCustomer.get(r.customerId) ?? []), r]);
  const views = rows.map(({ c, co }) => {
    const ids = (byCustomer.get(c.id) ?? []).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const of = (k: IdentityKind) => ids.filter((i) => i.kind === k).map((i) => i.display);
    return {
      id: c.id,
      name: c.name,
      company: co ? { id: co.id, name: co.name, domains: co.domains } : null,
      owner: c.owner,
      tags: c.tags,
      attributes: c.attributes,
      emails: of('email'),
      phones: of('phone'),
      slackUsers: of('slack_user'),
      externalId: of('external_id')[0] ?? null,
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  });
  const order = new Map(ids.map((id, i) => [id, i]));
  return views.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

export async function getCustomer(db: DbOrTx, id: string): Promise<CustomerView | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [view] = await getCustomers(db, [id]);
  return view ?? null;
}

export async function softDeleteCustomer(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db
    .update(customers)
    .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(customers.id, id), isNull(customers.deletedAt)))
    .returning({ id: customers.id });
  return rows.length > 0;
}
