// The console's customer list: text search over name, email, phone and company (Chinese or
// English, contained anywhere), filters by tag, owner, segment and value tier (of the latest
// segment run and value model) and last contact, newest first with keyset pagination, and the
// same filtered list in batches for CSV export.
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from './database.js';
import { customerIdsContaining } from './customer-text-match.js';
import { cutPage, decodeCursor, pageSize, type Page, type PageRequest } from './pagination.js';
import { queryRows } from './rows.js';

export const contactWindows = ['7d', '30d', '90d', 'older', 'never'] as const;
export type ContactWindow = (typeof contactWindows)[number];

export interface ConsoleCustomerFilter {
  q?: string | undefined;
  tag?: string | undefined;
  owner?: string | undefined;
  /** Segment index in the latest segment run. */
  segment?: number | undefined;
  tier?: string | undefined;
  contact?: ContactWindow | undefined;
}

export interface CustomerRow {
  id: string;
  name: string;
  company: string | null;
  email: string | null;
  phone: string | null;
  owner: string | null;
  tags: string[];
  segment: { en: string; zh: string } | null;
  tier: string | null;
  lastContactAt: string | null;
  createdAt: string;
}


/** The latest segment run and value model, which the segment and tier columns and filters refer to. */
export async function latestAnalytics(db: DbOrTx): Promise<{ runId: string | null; modelId: string | null }> {
  const [row] = await queryRows<{ run_id: string | null; model_id: string | null }>(db, sql`
    select (select id from segment_runs order by created_at desc limit 1) as run_id,
           (select id from value_models order by version desc limit 1) as model_id`);
  return { runId: row?.run_id ?? null, modelId: row?.model_id ?? null };
}

const DAYS: Record<string, number> = { '7d': 7, '30d': 30, '90d': 90 };

function conditions(f: ConsoleCustomerFilter, latest: { runId: string | null; modelId: string | null }): SQL[] {
  const conds: SQL[] = [sql`c.deleted_at is null`];
  const q = f.q?.trim();
  if (q) {
    conds.push(sql`c.id in (${customerIdsContaining(q)})`);
  }
  if (f.tag?.trim()) conds.push(sql`c.tags @> ${sql.param([f.tag.trim()])}::text[]`);
  if (f.owner?.trim()) conds.push(sql`c.owner = ${f.owner.trim()}`);
  if (f.segment !== undefined) {
    conds.push(latest.runId
      ? sql`exists (select 1 from customer_segments cs where cs.run_id = ${latest.runId}::uuid and cs.customer_id = c.id and cs.segment = ${f.segment})`
      : sql`false`);
  }
  if (f.tier) {
    conds.push(latest.modelId
      ? sql`exists (select 1 from customer_value_tiers t where t.model_id = ${latest.modelId}::uuid and t.customer_id = c.id and t.tier = ${f.tier})`
      : sql`false`);
  }
  if (f.contact) {
    const recent = (days: number) => sql`exists (select 1 from communications m where m.customer_id = c.id and m.occurred_at >= now() - make_interval(days => ${days}))`;
    if (f.contact in DAYS) conds.push(recent(DAYS[f.contact]!));
    else if (f.contact === 'older') conds.push(sql`exists (select 1 from communications m where m.customer_id = c.id) and not ${recent(90)}`);
    else conds.push(sql`not exists (select 1 from communications m where m.customer_id = c.id)`);
  }
  return conds;
}

async function pageOfIds(db: DbOrTx, f: ConsoleCustomerFilter, latest: { runId: string | null; modelId: string | null }, limit: number, cursor: string | undefined) {
  const conds = conditions(f, latest);
  if (cursor) {
    const [at, id] = decodeCursor(cursor, ['timestamp', 'uuid']);
    conds.push(sql`(c.created_at, c.id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await queryRows<{ id: string; at: string }>(db, sql`
    select c.id, to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at
    from customers c where ${sql.join(conds, sql` and `)}
    order by c.created_at desc, c.id desc limit ${limit + 1}`);
  return cutPage(rows, limit, (r) => [r.at, r.id]);
}

async function describe(db: DbOrTx, ids: string[], latest: { runId: string | null; modelId: string | null }): Promise<CustomerRow[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<{
    id: string; name: string; company: string | null; email: string | null; phone: string | null; owner: string | null; tags: string[];
    seg_en: string | null; seg_zh: string | null; tier: string | null; last_at: string | Date | null; created_at: string | Date;
  }>(db, sql`
    select c.id, c.name, co.name as company, c.owner, c.tags, c.created_at,
      (select display from identities i where i.customer_id = c.id and i.kind = 'email' order by i.created_at limit 1) as email,
      (select display from identities i where i.customer_id = c.id and i.kind = 'phone' order by i.created_at limit 1) as phone,
      (select cs.label_en from customer_segments cs where cs.run_id = ${latest.runId}::uuid and cs.customer_id = c.id) as seg_en,
      (select cs.label_zh from customer_segments cs where cs.run_id = ${latest.runId}::uuid and cs.customer_id = c.id) as seg_zh,
      (select t.tier from customer_value_tiers t where t.model_id = ${latest.modelId}::uuid and t.customer_id = c.id) as tier,
      (select max(m.occurred_at) from communications m where m.customer_id = c.id) as last_at
    from customers c left join companies co on co.id = c.company_id
    where c.id = any(${sql.param(ids)}::uuid[])`);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [{
      id: r.id, name: r.name, company: r.company, email: r.email, phone: r.phone, owner: r.owner, tags: r.tags ?? [],
      segment: r.seg_en ? { en: r.seg_en, zh: r.seg_zh ?? r.seg_en } : null,
      tier: r.tier, lastContactAt: r.last_at ? new Date(r.last_at).toISOString() : null, createdAt: new Date(r.created_at).toISOString(),
    }];
  });
}

export async function listConsoleCustomers(db: DbOrTx, f: ConsoleCustomerFilter, page: PageRequest = {}): Promise<Page<CustomerRow>> {
  const latest = await latestAnalytics(db);
  const cut = await pageOfIds(db, f, latest, pageSize(page.limit), page.cursor);
  return { data: await describe(db, cut.rows.map((r) => r.id), latest), nextCursor: cut.nextCursor };
}

/** The whole filtered list, a batch at a time (for CSV export without holding it all in memory). */
export async function* allConsoleCustomers(db: DbOrTx, f: ConsoleCustomerFilter, batch = 500): AsyncGenerator<CustomerRow[]> {
  const latest = await latestAnalytics(db);
  let cursor: string | undefined;
  for (;;) {
    const cut = await pageOfIds(db, f, latest, batch, cursor);
    yield await describe(db, cut.rows.map((r) => r.id), latest);
    if (!cut.nextCursor) return;
    cursor = cut.nextCursor;
  }
}

export interface FilterOptions {
  owners: string[];
  tags: string[];
  segments: { index: number; en: string; zh: string; size: number }[];
  tiers: string[];
}

/** What the filter menus offer: owners and the most used tags, the latest run's segments, the latest model's tiers. */
export async function customerFilterOptions(db: DbOrTx): Promise<FilterOptions> {
  const [owners, tags, run, tiers] = await Promise.all([
    queryRows<{ owner: string }>(db, sql`select distinct owner from customers where owner is not null and deleted_at is null order by owner limit 200`),
    queryRows<{ tag: string }>(db, sql`select t as tag from (select unnest(tags) t from customers where deleted_at is null limit 100000) x group by t order by count(*) desc, t limit 50`),
    queryRows<{ segments: { index: number; en: string; zh: string; size: number }[] | string }>(db, sql`select segments from segment_runs order by created_at desc limit 1`),
    queryRows<{ tier: string }>(db, sql`select distinct tier from customer_value_tiers where model_id = (select id from value_models order by version desc limit 1) order by tier`),
  ]);
  const segs = run[0] ? (typeof run[0].segments === 'string' ? JSON.parse(run[0].segments) : run[0].segments) : [];
  return {
    owners: owners.map((r) => r.owner),
    tags: tags.map((r) => r.tag),
    segments: (segs as FilterOptions['segments']).map((s) => ({ index: s.index, en: s.en, zh: s.zh, size: s.size })),
    tiers: tiers.map((r) => r.tier),
  };
}

