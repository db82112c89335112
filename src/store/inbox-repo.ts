// The inbox table: append (one statement for any number of messages), the capture worker's reads
// and settlements, and what `rapport inbox` and /readyz show.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from './database.js';
import { inbox, webhookSources, type InboxError, type InboxStatus } from './schema/index.js';
import { nullableTextArray, textArray, uuidArray } from './sql-arrays.js';
import { rowsOf } from './rows.js';

export interface InboxAppendRow {
  id: string;
  channel: string;
  externalId: string;
  payload: string;
  /**
   * Append only while this webhook source's row still holds these sealed secrets (checked in the
   * appending statement): a delivery verified against secrets held in memory is not written once
   * the source was rotated or removed.
   */
  guard?: WebhookSourceGuard | undefined;
}

export interface WebhookSourceGuard {
  source: string;
  /** The sealed secrets as stored (webhook_sources.secret, previous_secret). */
  secret: string;
  previousSecret: string | null;
}

export type AppendOutcome =
  /** The id the sender gets back: the inbox id, which is or becomes the communication id. */
  | { id: string; duplicate: boolean; stale?: false }
  /** Not appended: the row's guard no longer holds. */
  | { id: ''; duplicate: false; stale: true };

/** Rows of db.execute on either driver (node-postgres answers a result, PGlite too; both carry rows). */

/**
 * Appends messages; a (channel, external id) already in the inbox is a duplicate and answers the
 * id its first delivery got (the communication it became, when it became one). Results in order.
 */
export async function appendToInbox(db: DbOrTx, rows: InboxAppendRow[]): Promise<AppendOutcome[]> {
  if (rows.length === 0) return [];
  const key = (channel: string, externalId: string) => `${channel}\u0000${externalId}`;
  // One array per column, unnested: a few parameters whatever the group size, and no query builder
  // on the webhook accept path (building a multi-row VALUES cost more than the database took). Rows
  // whose guard fails are not inserted, and not returned as allowed.
  const guards = rows.map((r) => r.guard ?? null);
  const answered = rowsOf<{ id: string; inserted: boolean }>(
    await db.execute(sql`
      with u as (
        select * from unnest(${uuidArray(rows.map((r) => r.id))}, ${textArray(rows.map((r) => r.channel))}, ${textArray(rows.map((r) => r.externalId))}, ${textArray(rows.map((r) => r.payload))},
          ${nullableTextArray(guards.map((g) => g?.source ?? null))}, ${nullableTextArray(guards.map((g) => g?.secret ?? null))}, ${nullableTextArray(guards.map((g) => g?.previousSecret ?? null))})
          as u(id, channel, external_id, payload, guard_source, guard_secret, guard_previous)
      ), allowed as (
        select u.id, u.channel, u.external_id, u.payload from u
        where u.guard_source is null
           or exists (select 1 from ${webhookSources} s where s.name = u.guard_source and s.secret = u.guard_secret and s.previous_secret is not distinct from u.guard_previous)
      ), appended as (
        insert into ${inbox} (id, channel, external_id, payload)
        select id, channel, external_id, payload from allowed
        on conflict (channel, external_id) do nothing
        returning id
      )
      select a.id, (p.id is not null) as inserted from allowed a left join appended p on p.id = a.id`),
  );
  const allowed = new Set(answered.map((r) => r.id));
  const inserted = answered.filter((r) => r.inserted === true);
  const fresh = new Set(inserted.map((r) => r.id));
  const firstByKey = new Map<string, string>();
  const missing: InboxAppendRow[] = [];
  for (const r of rows) {
    if (fresh.has(r.id)) firstByKey.set(key(r.channel, r.externalId), r.id);
    else if (allowed.has(r.id)) missing.push(r);
  }
  const known = new Map<string, string>();
  if (missing.length > 0) {
    const found = rowsOf<{ id: string; communication_id: string | null; channel: string; external_id: string }>(
      await db.execute(sql`
        select id, communication_id, channel, external_id from ${inbox}
        where (channel, external_id) in (select * from unnest(${textArray(missing.map((m) => m.channel))}, ${textArray(missing.map((m) => m.externalId))}))`),
    );
    for (const f of found) known.set(key(f.channel, f.external_id), f.communication_id ?? f.id);
  }
  return rows.map((r): AppendOutcome => {
    if (fresh.has(r.id)) return { id: r.id, duplicate: false };
    if (!allowed.has(r.id)) return { id: '', duplicate: false, stale: true };
    const k = key(r.channel, r.externalId);
    const id = known.get(k) ?? firstByKey.get(k);
    // Neither inserted nor found: a concurrent append of the same key has not committed yet. Its
    // id is not known here; the message is accepted all the same (theirs will be captured).
    return { id: id ?? r.id, duplicate: true };
  });
}

export interface PendingRow {
  id: string;
  channel: string;
  externalId: string;
  payload: string | null;
  attempts: number;
}

/** The oldest pending messages that are due, in arrival order (except those being captured now). */
export async function duePending(db: DbOrTx, limit: number, exclude: string[] = []): Promise<PendingRow[]> {
  return db
    .select({ id: inbox.id, channel: inbox.channel, externalId: inbox.externalId, payload: inbox.payload, attempts: inbox.attempts })
    .from(inbox)
    .where(
      and(
        eq(inbox.status, 'pending'),
        sql`${inbox.nextAttemptAt} <= now()`,
        exclude.length ? sql`${inbox.id} <> all(${uuidArray(exclude)})` : undefined,
      ),
    )
    .orderBy(asc(inbox.seq))
    .limit(limit);
}

/** Locks these rows and returns the ids that are still pending (another worker may have taken some). */
export async function lockStillPending(tx: DbOrTx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx
    .select({ id: inbox.id })
    .from(inbox)
    .where(and(inArray(inbox.id, ids), eq(inbox.status, 'pending')))
    .for('update');
  return new Set(rows.map((r) => r.id));
}

export interface Settlement {
  id: string;
  status: Exclude<InboxStatus, 'pending' | 'failed'>;
  communicationId: string;
}

/** Records what each message became; the payload is dropped (the communication holds the message now). */
export async function settleInbox(tx: DbOrTx, settled: Settlement[]): Promise<void> {
  if (settled.length === 0) return;
  await tx.execute(sql`
    update ${inbox} set status = v.status, communication_id = v.communication_id, payload = null, error = null, settled_at = clock_timestamp()
    from (select * from unnest(${uuidArray(settled.map((s) => s.id))}, ${textArray(settled.map((s) => s.status))}, ${uuidArray(settled.map((s) => s.communicationId))}))
      as v(id, status, communication_id)
    where ${inbox.id} = v.id`);
}

/**
 * A message that could not be captured: retried after `retryAt`, or parked as `failed` (its
 * payload kept for `rapport inbox retry`).
 */
export async function recordInboxFailure(db: DbOrTx, id: string, error: InboxError, retryAt: Date | null): Promise<void> {
  await db
    .update(inbox)
    .set({
      attempts: sql`${inbox.attempts} + 1`,
      error,
      ...(retryAt ? { nextAttemptAt: retryAt } : { status: 'failed' as const, settledAt: new Date() }),
    })
    .where(eq(inbox.id, id));
}

export interface InboxEntry {
  id: string;
  seq: number;
  channel: string;
  externalId: string;
  status: InboxStatus;
  attempts: number;
  error: InboxError | null;
  communicationId: string | null;
  receivedAt: Date;
  settledAt: Date | null;
  nextAttemptAt: Date;
}

const entryColumns = {
  id: inbox.id,
  seq: inbox.seq,
  channel: inbox.channel,
  externalId: inbox.externalId,
  status: inbox.status,
  attempts: inbox.attempts,
  error: inbox.error,
  communicationId: inbox.communicationId,
  receivedAt: inbox.receivedAt,
  settledAt: inbox.settledAt,
  nextAttemptAt: inbox.nextAttemptAt,
};

/** Entries newest first; `failed` lists parked messages and pending ones that failed at least once. */
export async function listInbox(db: DbOrTx, opts: { status?: InboxStatus | 'failing' | undefined; limit?: number; beforeSeq?: number | undefined }): Promise<InboxEntry[]> {
  const where = [];
  if (opts.status === 'failing') where.push(sql`(${inbox.status} = 'failed' or (${inbox.status} = 'pending' and ${inbox.attempts} > 0))`);
  else if (opts.status) where.push(eq(inbox.status, opts.status));
  if (opts.beforeSeq !== undefined) where.push(sql`${inbox.seq} < ${opts.beforeSeq}`);
  return db
    .select(entryColumns)
    .from(inbox)
    .where(where.length ? and(...where) : undefined)
    .orderBy(sql`${inbox.seq} desc`)
    .limit(opts.limit ?? 50);
}

export async function inboxEntries(db: DbOrTx, ids: string[]): Promise<InboxEntry[]> {
  if (ids.length === 0) return [];
  return db.select(entryColumns).from(inbox).where(inArray(inbox.id, ids));
}

/** Puts parked (or waiting) messages back in line now; returns how many. */
export async function retryInbox(db: DbOrTx, ids: string[] | 'all'): Promise<number> {
  const retryable = sql`(${inbox.status} = 'failed' or (${inbox.status} = 'pending' and ${inbox.attempts} > 0)) and ${inbox.payload} is not null`;
  const rows = await db
    .update(inbox)
    .set({ status: 'pending', nextAttemptAt: sql`now()`, attempts: 0, settledAt: null })
    .where(ids === 'all' ? retryable : and(retryable, inArray(inbox.id, ids)))
    .returning({ id: inbox.id });
  return rows.length;
}

export interface InboxStats {
  /** Messages waiting to be captured (including those waiting for a retry). */
  pending: number;
  /** Parked after their retries. */
  failed: number;
  /** When the oldest pending message arrived, or null. */
  oldestPendingAt: Date | null;
}

export async function inboxStats(db: DbOrTx): Promise<InboxStats> {
  const [row] = await db
    .select({
      pending: sql<number>`count(*) filter (where ${inbox.status} = 'pending')`.mapWith(Number),
      failed: sql<number>`count(*) filter (where ${inbox.status} = 'failed')`.mapWith(Number),
    })
    .from(inbox)
    .where(sql`${inbox.status} in ('pending', 'failed')`);
  const [oldest] = await db
    .select({ at: inbox.receivedAt })
    .from(inbox)
    .where(eq(inbox.status, 'pending'))
    .orderBy(asc(inbox.seq))
    .limit(1);
  return { pending: row?.pending ?? 0, failed: row?.failed ?? 0, oldestPendingAt: oldest?.at ?? null };
}

/** Resolves unique id prefixes (at least 6 hex characters) to inbox ids. */
export async function inboxIdsByPrefix(db: DbOrTx, prefix: string): Promise<string[]> {
  const rows = await db.select({ id: inbox.id }).from(inbox).where(sql`${inbox.id}::text like ${`${prefix.toLowerCase()}%`}`).limit(2);
  return rows.map((r) => r.id);
}
