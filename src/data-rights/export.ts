// Everything held about one person, as one JSON document (GDPR art. 15/20, PIPL art. 45):
// the customer and records merged into them, identities, communications with their full text,
// threads, orders, analytics (segment history, value tiers, top keywords), review items, merge
// audit rows and the Slack profiles cached for their Slack ids. Communications are read and
// written in pages, so a long history streams instead of filling memory.
import { and, asc, getTableColumns, gt, sql, type SQL } from 'drizzle-orm';
import { keywordsFor } from '../analytics-runner/keywords-query.js';
import type { AppContext } from '../context.js';
import { notFound } from '../core/errors.js';
import { segmentHistory, valueTierHistory } from '../store/analytics-repo.js';
import type { DbOrTx } from '../store/database.js';
import { isUuid } from '../store/pagination.js';
import { communications } from '../store/schema/index.js';

const PAGE = 500;

async function rows<T = Record<string, unknown>>(db: DbOrTx, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}

const uuidArray = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** The customer's id and the ids merged into it, or a not_found error (checked before streaming). */
export async function exportSubject(ctx: AppContext, customerId: string): Promise<string[]> {
  const db = ctx.database.db;
  if (!isUuid(customerId)) throw notFound('customer', customerId);
  const found = await rows<{ id: string }>(db, sql`select id from customers where id = ${customerId}::uuid`);
  if (found.length === 0) throw notFound('customer', customerId);
  const merged = await rows<{ id: string }>(db, sql`select id from customers where attributes->>'merged_into' = ${customerId}`);
  return [customerId, ...merged.map((m) => m.id)];
}

/** The export as JSON text, chunk by chunk. `ids` from exportSubject. */
export async function* exportCustomer(ctx: AppContext, ids: string[]): AsyncGenerator<string> {
  const db = ctx.database.db;
  const these = uuidArray(ids);
  const [customer, ...merged] = await rows(db, sql`select * from customers where id = any(${these}) order by (id = ${ids[0]}::uuid) desc, created_at`);
  const json = (v: unknown) => JSON.stringify(v);
  yield `{"exportedAt":${json(new Date().toISOString())},"customer":${json(customer)},"mergedRecords":${json(merged)}`;
  yield `,"identities":${json(await rows(db, sql`select * from identities where customer_id = any(${these}) order by created_at`))}`;

  // Every stored column but the derived search vector.
  const { search: _search, ...columns } = getTableColumns(communications);
  yield ',"communications":[';
  let after = '00000000-0000-0000-0000-000000000000';
  let first = true;
  for (;;) {
    const page = await db
      .select(columns)
      .from(communications)
      .where(and(sql`(${communications.customerId} = any(${these}) or ${communications.match}->>'customerId' = any(${`{${ids.join(',')}}`}::text[]))`, gt(communications.id, after)))
      .orderBy(asc(communications.id))
      .limit(PAGE);
    for (const c of page) {
      yield `${first ? '' : ','}${json(c)}`;
      first = false;
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  yield ']';

  yield `,"threads":${json(await rows(db, sql`select * from threads where customer_id = any(${these}) order by first_at`))}`;
  yield `,"orders":${json(await rows(db, sql`select * from orders where customer_id = any(${these}) order by ordered_at`))}`;
  const keywords = await keywordsFor(ctx, { customer: ids[0]!, limit: 20 }).catch(() => null);
  yield `,"analytics":${json({
    segments: await segmentHistory(db, ids[0]!, 1000),
    valueTiers: await valueTierHistory(db, ids[0]!, 1000),
    keywords: keywords?.keywords ?? [],
  })}`;
  yield `,"reviewItems":${json(
    await rows(
      db,
      sql`select r.* from review_items r join communications c on c.id = r.communication_id
          where c.customer_id = any(${these}) or r.resolved_customer_id = any(${these}) order by r.created_at`,
    ),
  )}`;
  yield `,"merges":${json(await rows(db, sql`select * from customer_merges where source_customer_id = any(${these}) or target_customer_id = any(${these}) order by merged_at`))}`;
  yield `,"slackProfiles":${json(
    await rows(
      db,
      sql`select s.* from slack_users s where upper(s.user_id) in (select upper(value) from identities where kind = 'slack_user' and customer_id = any(${these}))
          or lower(s.email) in (select value from identities where kind = 'email' and customer_id = any(${these}))`,
    ),
  )}`;
  yield '}\n';
}

