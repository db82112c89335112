// The queries behind a daily digest, over what happened (occurred_at) in its window, so a backfill
// of old mail never floods today's digest. Noise (auto-replies, bounces, lists, our own mail) never
// counts: it is stored without a customer and flagged, and every query here leaves it out.
import { sql, type SQL } from 'drizzle-orm';
import { snippetOf, type DigestCustomer, type DigestMessage, type DigestWaiting } from '../digest/digest.js';
import type { DbOrTx } from './database.js';

export interface DigestScope {
  from: Date;
  to: Date;
  /** Only customers owned by this person. */
  owner: string | null;
  /** Only these customers (a segment's members), or null for all. */
  customerIds: string[] | null;
}

const noNoise = sql`not (c.flags && array['auto_reply','bounce','mailing_list','own_message']::text[])`;
const FEEDBACK_KINDS = ['feedback', 'issue', 'complaint'];

function scopeFilter(scope: DigestScope): SQL {
  const parts: SQL[] = [sql`true`];
  if (scope.owner) parts.push(sql`cu.owner = ${scope.owner}`);
  if (scope.customerIds) parts.push(sql`cu.id = any(${sql.param(scope.customerIds)}::uuid[])`);
  return sql.join(parts, sql` and `);
}

const rows = async <T>(db: DbOrTx, q: SQL): Promise<T[]> => ((await db.execute(q)) as unknown as { rows: T[] }).rows;

interface MessageRow {
  id: string;
  channel: string;
  kind: string;
  subject: string | null;
  text: string;
  sentiment: number | null;
  occurred_at: string | Date;
  customer_id: string | null;
  customer_name: string | null;
  company_name: string | null;
}

const customerOf = (r: { customer_id: string | null; customer_name: string | null; company_name: string | null }): DigestCustomer | null =>
  r.customer_id ? { id: r.customer_id, name: r.customer_name ?? '', company: r.company_name } : null;

const toMessage = (r: MessageRow): DigestMessage => ({
  id: r.id,
  customer: customerOf(r),
  channel: r.channel,
  kind: r.kind,
  subject: r.subject,
  snippet: snippetOf(r.text),
  sentiment: r.sentiment === null ? null : Number(r.sentiment),
  occurredAt: new Date(r.occurred_at).toISOString(),
});

const messageColumns = sql`c.id, c.channel, c.kind, c.subject, c.text, c.sentiment, c.occurred_at, cu.id as customer_id, cu.name as customer_name, co.name as company_name`;
const customerJoins = sql`left join customers cu on cu.id = c.customer_id and cu.deleted_at is null left join companies co on co.id = cu.company_id`;

export async function newByChannel(db: DbOrTx, scope: DigestScope) {
  const scoped = scope.owner || scope.customerIds ? sql`cu.id is not null and ${scopeFilter(scope)}` : sql`true`;
  const r = await rows<{ channel: string; kind: string; count: string | number }>(
    db,
    sql`select c.channel, c.kind, count(*) as count from communications c ${customerJoins}
        where c.occurred_at >= ${scope.from} and c.occurred_at < ${scope.to} and ${noNoise} and ${scoped}
        group by c.channel, c.kind order by count(*) desc, c.channel, c.kind`,
  );
  return r.map((x) => ({ channel: x.channel, kind: x.kind, count: Number(x.count) }));
}

export async function newFeedback(db: DbOrTx, scope: DigestScope, limit = 10): Promise<DigestMessage[]> {
  const r = await rows<MessageRow>(
    db,
    sql`select ${messageColumns} from communications c ${customerJoins}
        where c.occurred_at >= ${scope.from} and c.occurred_at < ${scope.to} and ${noNoise}
          and c.direction = 'inbound' and c.kind = any(${sql.param(FEEDBACK_KINDS)}::text[]) and cu.id is not null and ${scopeFilter(scope)}
        order by c.occurred_at desc limit ${limit}`,
  );
  return r.map(toMessage);
}

/** Negative inbound messages from the given high-value customers. */
export async function negativeFrom(db: DbOrTx, scope: DigestScope, customerIds: string[], threshold: number, limit = 10): Promise<DigestMessage[]> {
  if (customerIds.length === 0) return [];
  const r = await rows<MessageRow>(
    db,
    sql`select ${messageColumns} from communications c ${customerJoins}
        where c.occurred_at >= ${scope.from} and c.occurred_at < ${scope.to} and ${noNoise}
          and c.direction = 'inbound' and c.sentiment is not null and c.sentiment <= ${threshold}
          and cu.id = any(${sql.param(customerIds)}::uuid[]) and ${scopeFilter(scope)}
        order by c.sentiment asc, c.occurred_at desc limit ${limit}`,
  );
  return r.map(toMessage);
}

/**
 * Customers in the top share of revenue (orders, all time): the fallback notion of "high value"
 * when no value model has been trained.
 */
export async function topRevenueCustomers(db: DbOrTx, share = 0.2): Promise<string[]> {
  const r = await rows<{ customer_id: string }>(
    db,
    sql`with totals as (select customer_id, sum(amount) as revenue from orders group by customer_id),
         cut as (select percentile_cont(${1 - share}) within group (order by revenue) as p from totals)
        select customer_id from totals, cut where revenue >= cut.p and revenue > 0`,
  );
  return r.map((x) => x.customer_id);
}

/** Customers whose latest message is inbound, older than `hours`, with nothing from us since. */
export async function waitingForReply(db: DbOrTx, scope: DigestScope, hours: number, limit = 15): Promise<DigestWaiting[]> {
  const r = await rows<{ customer_id: string; customer_name: string; company_name: string | null; occurred_at: string | Date; subject: string | null }>(
    db,
    sql`with last as (
          select distinct on (c.customer_id) c.customer_id, c.direction, c.occurred_at, c.subject
          from communications c
          where c.customer_id is not null and c.direction in ('inbound','outbound') and ${noNoise}
            and c.kind <> 'note'
          order by c.customer_id, c.occurred_at desc)
        select last.customer_id, cu.name as customer_name, co.name as company_name, last.occurred_at, last.subject
        from last join customers cu on cu.id = last.customer_id and cu.deleted_at is null
        left join companies co on co.id = cu.company_id
        where last.direction = 'inbound' and last.occurred_at < ${new Date(scope.to.getTime() - hours * 3_600_000)}
          and ${scopeFilter(scope)}
        order by last.occurred_at asc limit ${limit}`,
  );
  return r.map((x) => ({
    customer: { id: x.customer_id, name: x.customer_name, company: x.company_name },
    lastInboundAt: new Date(x.occurred_at).toISOString(),
    hoursWaiting: Math.floor((scope.to.getTime() - new Date(x.occurred_at).getTime()) / 3_600_000),
    subject: x.subject,
  }));
}

/** Keyword counts in the window, and those that rose most against the same length before it. */
export async function keywordTrends(db: DbOrTx, scope: DigestScope, limit = 8) {
  const span = scope.to.getTime() - scope.from.getTime();
  const prevFrom = new Date(scope.from.getTime() - 7 * span);
  const scoped = scope.owner || scope.customerIds ? sql`cu.id is not null and ${scopeFilter(scope)}` : sql`true`;
  const r = await rows<{ term: string; now: string | number; before: string | number }>(
    db,
    sql`select k.term,
          count(*) filter (where c.occurred_at >= ${scope.from}) as now,
          count(*) filter (where c.occurred_at < ${scope.from}) as before
        from communications c ${customerJoins}, unnest(c.keywords) as k(term)
        where c.occurred_at >= ${prevFrom} and c.occurred_at < ${scope.to} and ${noNoise} and ${scoped}
        group by k.term`,
  );
  const terms = r.map((x) => ({ term: x.term, count: Number(x.now), previous: Number(x.before) / 7 }));
  const top = terms
    .filter((t) => t.count > 0)
    .sort((a, b) => b.count - a.count || a.term.localeCompare(b.term))
    .slice(0, limit)
    .map(({ term, count }) => ({ term, count }));
  // Rising: at least two mentions now, and the most above its daily average of the week before.
  const rising = terms
    .filter((t) => t.count >= 2 && t.count > t.previous * 1.5)
    .sort((a, b) => (b.count + 1) / (b.previous + 1) - (a.count + 1) / (a.previous + 1) || a.term.localeCompare(b.term))
    .slice(0, limit)
    .map((t) => ({ term: t.term, count: t.count, previous: Math.round(t.previous * 10) / 10 }));
  return { top, rising };
}

interface ChangeRow {
  customer_id: string;
  customer_name: string;
  company_name: string | null;
  before: string | null;
  after: string;
}

const toChange = (what: 'segment' | 'value tier') => (r: ChangeRow) => ({
  customer: { id: r.customer_id, name: r.customer_name, company: r.company_name },
  what,
  from: r.before,
  to: r.after,
});

/**
 * Customers whose segment changed with the latest segment run made in the window, against the run
 * before it. Nothing when there was no earlier run: a first run is not a change.
 */
export async function segmentChanges(db: DbOrTx, from: Date, to: Date, limit = 20) {
  const r = await rows<ChangeRow>(
    db,
    sql`with cur as (select id, created_at from segment_runs where created_at >= ${from} and created_at < ${to} order by created_at desc, id desc limit 1),
         prev as (select s.id from segment_runs s, cur where s.created_at < cur.created_at order by s.created_at desc, s.id desc limit 1)
        select c.customer_id, cu.name as customer_name, co.name as company_name, p.label_en as before, c.label_en as after
        from customer_segments c join cur on c.run_id = cur.id
        join prev on true
        left join customer_segments p on p.run_id = prev.id and p.customer_id = c.customer_id
        join customers cu on cu.id = c.customer_id and cu.deleted_at is null
        left join companies co on co.id = cu.company_id
        where p.label_en is distinct from c.label_en
        order by cu.name limit ${limit}`,
  );
  return r.map(toChange('segment'));
}

/** Customers whose value tier changed with the latest model trained in the window. */
export async function tierChanges(db: DbOrTx, from: Date, to: Date, limit = 20) {
  const r = await rows<ChangeRow>(
    db,
    sql`with cur as (select id, version from value_models where created_at >= ${from} and created_at < ${to} order by version desc limit 1),
         prev as (select m.id from value_models m, cur where m.version < cur.version order by m.version desc limit 1)
        select c.customer_id, cu.name as customer_name, co.name as company_name, p.tier as before, c.tier as after
        from customer_value_tiers c join cur on c.model_id = cur.id
        join prev on true
        left join customer_value_tiers p on p.model_id = prev.id and p.customer_id = c.customer_id
        join customers cu on cu.id = c.customer_id and cu.deleted_at is null
        left join companies co on co.id = cu.company_id
        where p.tier is distinct from c.tier
        order by cu.name limit ${limit}`,
  );
  return r.map(toChange('value tier'));
}
