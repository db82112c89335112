// The console dashboard's numbers: messages per day by channel and kind, segment sizes and value
// tiers, and a customer's revenue by month. Noise (auto-replies, bounces, lists, our own mail)
// never counts, as in digests.
import { sql } from 'drizzle-orm';
import type { DbOrTx } from './database.js';
import { queryRows } from './rows.js';

const noNoise = sql`not (flags && array['auto_reply','bounce','mailing_list','own_message','deleted']::text[])`;

export interface DayCount {
  day: string;
  channel: string;
  kind: string;
  count: number;
}

/** Messages per local day (in `timeZone`) over the last `days` days, by channel and kind. */
export async function messagesPerDay(db: DbOrTx, timeZone: string, days = 30, now = new Date()): Promise<DayCount[]> {
  const rows = await queryRows<{ day: string; channel: string; kind: string; n: number | string }>(db, sql`
    select to_char(occurred_at at time zone ${timeZone}, 'YYYY-MM-DD') as day, channel, kind, count(*) as n
    from communications
    where occurred_at > ${now}::timestamptz - make_interval(days => ${days}) and occurred_at <= ${now}::timestamptz and ${noNoise}
    group by 1, 2, 3 order by 1, 2, 3`);
  return rows.map((r) => ({ day: r.day, channel: r.channel, kind: r.kind, count: Number(r.n) }));
}

export interface SegmentSize {
  index: number;
  en: string;
  zh: string;
  size: number;
}

export async function segmentSizes(db: DbOrTx): Promise<{ at: string; segments: SegmentSize[] } | null> {
  const [row] = await queryRows<{ created_at: string | Date; segments: unknown }>(db, sql`select created_at, segments from segment_runs order by created_at desc limit 1`);
  if (!row) return null;
  const segs = (typeof row.segments === 'string' ? JSON.parse(row.segments) : row.segments) as SegmentSize[];
  return { at: new Date(row.created_at).toISOString(), segments: segs.map((s) => ({ index: s.index, en: s.en, zh: s.zh, size: s.size })) };
}

export async function tierCounts(db: DbOrTx): Promise<{ version: number; tiers: { tier: string; count: number }[] } | null> {
  const [model] = await queryRows<{ id: string; version: number }>(db, sql`select id, version from value_models order by version desc limit 1`);
  if (!model) return null;
  const rows = await queryRows<{ tier: string; n: number | string }>(db, sql`
    select t.tier, count(*) as n from customer_value_tiers t join customers c on c.id = t.customer_id and c.deleted_at is null
    where t.model_id = ${model.id}::uuid group by t.tier`);
  const order = ['high', 'medium', 'low'];
  const tiers = rows.map((r) => ({ tier: r.tier, count: Number(r.n) })).sort((a, b) => (order.indexOf(a.tier) + 1 || 99) - (order.indexOf(b.tier) + 1 || 99) || a.tier.localeCompare(b.tier));
  return { version: Number(model.version), tiers };
}

export async function customerCount(db: DbOrTx): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(db, sql`select count(*) as n from customers where deleted_at is null`);
  return Number(row?.n ?? 0);
}

const closedOrderStatuses = ['cancelled', 'canceled', 'refunded', 'void', 'failed'];

/** A customer's revenue per local month (open and fulfilled orders), per currency, the last `months` months. */
export async function revenueByMonth(db: DbOrTx, customerId: string, timeZone: string, months = 24): Promise<{ month: string; currency: string; amount: string }[]> {
  const rows = await queryRows<{ month: string; currency: string; amount: string }>(db, sql`
    select to_char(date_trunc('month', ordered_at at time zone ${timeZone}), 'YYYY-MM') as month, currency, sum(amount)::text as amount
    from orders
    where customer_id = ${customerId}::uuid and lower(status) <> all(${sql.param(closedOrderStatuses)}::text[])
      and ordered_at >= now() - make_interval(months => ${months})
    group by 1, 2 order by 1, 2`);
  return rows;
}
