// Reads that feed analytics: per-customer aggregates (orders, communications, issues, response
// times) in a few set-based queries, and the texts of communications for keywords and vectors.
// Noise is already detached from customers at capture (customer_id null), so it never counts.
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { CustomerAggregates } from '../analytics/customer-features.js';
import { emailMatchKey } from '../core/email-address.js';
import type { DbOrTx } from './database.js';
import { communications, customers } from './schema/index.js';
import { rowsOf } from './rows.js';

const dateOf = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));

/**
 * The currency revenue is summed in: the configured one, else the currency of most orders (null
 * when there are no orders). Orders in other currencies are converted with `fx_rates`.
 */
export async function reportingCurrencyOf(db: DbOrTx, configured: string | undefined): Promise<string | null> {
  if (configured) return configured.toUpperCase();
  const [row] = rowsOf<{ currency: string }>(await db.execute(sql`
    select upper(currency) as currency from orders group by upper(currency) order by count(*) desc, upper(currency) limit 1`));
  return row?.currency ?? null;
}

/** Orders (not cancelled or refunded) whose currency has no rate to `reporting`: left out of revenue. */
export async function unconvertedOrders(db: DbOrTx, reporting: string | null): Promise<{ currency: string; orders: number }[]> {
  if (!reporting) return [];
  const rows = rowsOf<{ currency: string; n: unknown }>(await db.execute(sql`
    select upper(o.currency) as currency, count(*) as n from orders o
    where o.status not in ('cancelled', 'canceled', 'refunded') and upper(o.currency) <> ${reporting}
      and not exists (select 1 from fx_rates f where f.currency = upper(o.currency) and f.reporting_currency = ${reporting})
    group by upper(o.currency) order by upper(o.currency)`));
  return rows.map((r) => ({ currency: r.currency, orders: Number(r.n) }));
}

/**
 * Aggregates for every live customer (or the given ones), as of `now`. Revenue is in `reporting`
 * currency: other currencies are converted at the rate nearest the order's day (the latest on or
 * before it, else the first after it); orders without any rate are left out of revenue (see
 * `unconvertedOrders`) but still count as orders.
 */
export async function customerAggregates(db: DbOrTx, now: Date, customerIds?: string[], reporting: string | null = null): Promise<CustomerAggregates[]> {
  const since90 = new Date(now.getTime() - 90 * 86_400_000);
  const since180 = new Date(now.getTime() - 180 * 86_400_000);
  const only = customerIds ? (customerIds.length ? sql`and c.id in ${customerIds}` : sql`and false`) : sql``;
  const base = rowsOf<{ id: string }>(await db.execute(sql`select c.id from customers c where c.deleted_at is null ${only} order by c.id`));
  const agg = new Map<string, CustomerAggregates>(base.map((r) => [r.id, {
    customerId: r.id, lastOrderAt: null, firstOrderAt: null, orders: 0, orders90d: 0, revenue: 0, communications90d: {},
    negative90d: 0, scored90d: 0, openIssues: 0, avgResponseHours: null, responses: 0,
  }]));
  const amount = reporting
    ? sql`case when upper(o.currency) = ${reporting} then o.amount else o.amount * (
        select f.rate_to_reporting from fx_rates f where f.currency = upper(o.currency) and f.reporting_currency = ${reporting}
        order by (f.as_of <= o.ordered_at::date) desc, abs(f.as_of - o.ordered_at::date) limit 1) end`
    : sql`o.amount`;
  const ordersRows = rowsOf<{ customer_id: string; last_at: unknown; first_at: unknown; n: unknown; n90: unknown; revenue: unknown }>(await db.execute(sql`
    select o.customer_id, max(o.ordered_at) as last_at, min(o.ordered_at) as first_at, count(*) as n,
           count(*) filter (where o.ordered_at >= ${since90.toISOString()}::timestamptz) as n90, coalesce(sum(${amount}), 0) as revenue
    from orders o where o.status not in ('cancelled', 'canceled', 'refunded') and o.ordered_at <= ${now.toISOString()}::timestamptz
    group by o.customer_id`));
  for (const r of ordersRows) {
    const a = agg.get(r.customer_id);
    if (!a) continue;
    Object.assign(a, { lastOrderAt: dateOf(r.last_at), firstOrderAt: dateOf(r.first_at), orders: Number(r.n), orders90d: Number(r.n90), revenue: Number(r.revenue) });
  }
  const commRows = rowsOf<{ customer_id: string; channel: string; n: unknown; neg: unknown; scored: unknown }>(await db.execute(sql`
    select customer_id, channel, count(*) as n, count(*) filter (where sentiment <= -0.1) as neg, count(sentiment) as scored
    from communications where customer_id is not null and occurred_at >= ${since90.toISOString()}::timestamptz
      and occurred_at <= ${now.toISOString()}::timestamptz and direction = 'inbound'
    group by customer_id, channel`));
  for (const r of commRows) {
    const a = agg.get(r.customer_id);
    if (!a) continue;
    a.communications90d[r.channel] = Number(r.n);
    a.negative90d += Number(r.neg);
    a.scored90d += Number(r.scored);
  }
  const issueRows = rowsOf<{ customer_id: string; n: unknown }>(await db.execute(sql`
    select customer_id, count(*) as n from threads
    where customer_id is not null and status = 'open' and kind in ('issue', 'complaint') group by customer_id`));
  for (const r of issueRows) {
    const a = agg.get(r.customer_id);
    if (a) a.openIssues = Number(r.n);
  }
  // Response time: for each inbound message of the last 180 days, the first later outbound in its thread.
  const responseRows = rowsOf<{ customer_id: string; hours: unknown; n: unknown }>(await db.execute(sql`
    select i.customer_id, avg(extract(epoch from (r.reply_at - i.occurred_at)) / 3600.0) as hours, count(*) as n
    from communications i
    cross join lateral (
      select min(o.occurred_at) as reply_at from communications o
      where o.thread_id = i.thread_id and o.direction = 'outbound' and o.occurred_at > i.occurred_at
    ) r
    where i.direction = 'inbound' and i.customer_id is not null and i.thread_id is not null
      and i.occurred_at >= ${since180.toISOString()}::timestamptz and r.reply_at is not null
    group by i.customer_id`));
  for (const r of responseRows) {
    const a = agg.get(r.customer_id);
    if (!a) continue;
    a.avgResponseHours = Number(r.hours);
    a.responses = Number(r.n);
  }
  return [...agg.values()];
}

export interface TextRow {
  id: string;
  customerId: string | null;
  subject: string | null;
  text: string;
  occurredAt: Date;
}

export interface TextFilter {
  customerIds?: string[] | undefined;
  companyId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Only communications without a vector under this model version. */
  missingVectorVersion?: number | undefined;
  limit?: number | undefined;
  /** Keyset: ids after this one (ascending id order). */
  afterId?: string | undefined;
}

/** Communications attached to a customer (never noise), newest first unless paging by id. */
export async function communicationTexts(db: DbOrTx, f: TextFilter = {}): Promise<TextRow[]> {
  const conds: SQL[] = [isNotNull(communications.customerId)];
  if (f.customerIds) conds.push(f.customerIds.length ? inArray(communications.customerId, f.customerIds) : sql`false`);
  if (f.companyId) conds.push(eq(communications.companyId, f.companyId));
  if (f.from) conds.push(gte(communications.occurredAt, f.from));
  if (f.to) conds.push(lt(communications.occurredAt, f.to));
  if (f.afterId) conds.push(gt(communications.id, f.afterId));
  if (f.missingVectorVersion !== undefined) {
    conds.push(sql`not exists (select 1 from communication_vectors v where v.communication_id = ${communications.id} and v.model_version = ${f.missingVectorVersion})`);
  }
  const q = db.select({ id: communications.id, customerId: communications.customerId, subject: communications.subject, text: communications.text, occurredAt: communications.occurredAt })
    .from(communications).where(and(...conds))
    .orderBy(...(f.afterId !== undefined || f.missingVectorVersion !== undefined ? [asc(communications.id)] : [desc(communications.occurredAt), desc(communications.id)]));
  return f.limit ? q.limit(f.limit) : q;
}

export async function countCommunications(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(communications).where(isNotNull(communications.customerId));
  return Number(row?.n ?? 0);
}

/**
 * A customer id from an id, an email (matched as capture matches it), an external id, or an exact
 * (case-insensitive) name; null when nothing or more than one customer matches.
 */
export async function resolveCustomer(db: DbOrTx, ref: string): Promise<{ id: string; name: string } | null> {
  const r = ref.trim();
  if (!r) return null;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(r);
  const email = r.includes('@') ? emailMatchKey(r) : null;
  const rows = rowsOf<{ id: string; name: string }>(await db.execute(sql`
    select c.id, c.name from customers c
    where c.deleted_at is null and (${uuid ? sql`c.id = ${r}::uuid or` : sql``}
      lower(c.name) = lower(${r})
      or exists (select 1 from identities i where i.customer_id = c.id and (
        (i.kind = 'email' and i.value in (${email ?? r.toLowerCase()}, ${r.toLowerCase()})) or (i.kind = 'external_id' and i.value = ${r}))))
    limit 2`));
  return rows.length === 1 ? (rows[0] as { id: string; name: string }) : null;
}

/**
 * Every name the deployment knows, for keywords to leave out: customers and companies by name,
 * staff by name and address, and the owners customers are assigned to ("li.na").
 */
export async function knownNames(db: DbOrTx): Promise<{ names: string[]; handles: string[] }> {
  const names = rowsOf<{ name: string }>(await db.execute(sql`
    select name from customers where deleted_at is null
    union select name from companies
    union select name from staff_identities where name is not null`));
  const handles = rowsOf<{ handle: string }>(await db.execute(sql`
    select distinct owner as handle from customers where owner is not null and deleted_at is null
    union select display as handle from staff_identities where kind = 'email'`));
  return { names: names.map((r) => r.name), handles: handles.map((r) => r.handle) };
}

export async function customerNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.select({ id: customers.id, name: customers.name }).from(customers).where(and(inArray(customers.id, ids), isNull(customers.deletedAt)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function communicationById(db: DbOrTx, id: string): Promise<TextRow | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const [row] = await db.select({ id: communications.id, customerId: communications.customerId, subject: communications.subject, text: communications.text, occurredAt: communications.occurredAt })
    .from(communications).where(eq(communications.id, id));
  return row ?? null;
}
