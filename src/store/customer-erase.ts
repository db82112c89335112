// Erasing one person (GDPR art. 17, PIPL art. 47) — unlike `DELETE /customers/:id`, which is a
// soft delete. In one transaction: the customer and every customer merged into them, their
// identities, orders, analytics rows (cascades), their communications (with the search vector
// stored in the row and the similarity vectors), messages of theirs still waiting in review or
// kept as noise, threads only they had (the subject of a thread shared with others is cleared),
// alerts about their messages, the Slack profile cache of their Slack ids, merge snapshots that
// hold them, and their entries in the participants of other people's messages (redacted). What
// stays is a tombstone: the random id, who erased, when, and how many rows went.
//
// Keyword document frequencies and word-vector vocabularies are derived from message texts; the
// caller (src/data-rights) subtracts the erased messages' terms with `subtractTerms`.
import { sql, type SQL } from 'drizzle-orm';
import { notFound } from '../core/errors.js';
import type { Db, DbOrTx } from './database.js';
import { isUuid } from './pagination.js';

export interface ErasedText {
  subject: string | null;
  text: string;
}

export interface EraseResult {
  customerId: string;
  erasedBy: string;
  erasedAt: string;
  /** Rows removed (or redacted, for `participants_redacted` and `threads_cleared`) per table. */
  counts: Record<string, number>;
}

async function rows<T>(db: DbOrTx, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}

async function count(db: DbOrTx, q: SQL): Promise<number> {
  return (await rows(db, sql`${q} returning 1`)).length;
}

const uuidArray = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;
const textArray = (xs: string[]) => sql`${`{${xs.map((x) => `"${x.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`}::text[]`;

/**
 * Erases customer `id`. `onTexts` receives the subject and text of every message about to go
 * (inside the transaction), for derived counts to be subtracted.
 */
export async function eraseCustomer(db: Db, id: string, erasedBy: string, onTexts: (texts: ErasedText[], tx: DbOrTx) => Promise<Record<string, number>>): Promise<EraseResult> {
  if (!isUuid(id)) throw notFound('customer', id);
  return db.transaction(async (tx) => {
    const [found] = await rows<{ id: string; name: string }>(tx, sql`select id, name from customers where id = ${id}::uuid for update`);
    if (!found) throw notFound('customer', id);
    // The same person under records merged into this one (soft-deleted, `merged_into`).
    const merged = await rows<{ id: string; name: string }>(tx, sql`select id, name from customers where attributes->>'merged_into' = ${id} for update`);
    const people = [found, ...merged];
    const ids = people.map((p) => p.id);
    const names = [...new Set(people.map((p) => p.name))];
    const idents = await rows<{ kind: string; value: string; display: string }>(tx, sql`select kind, value, display from identities where customer_id = any(${uuidArray(ids)})`);
    const emails = [...new Set(idents.filter((i) => i.kind === 'email').flatMap((i) => [i.value, i.display.toLowerCase()]))];
    const phones = [...new Set(idents.filter((i) => i.kind === 'phone').flatMap((i) => [i.value, i.display]))];
    const slackIds = [...new Set(idents.filter((i) => i.kind === 'slack_user').map((i) => i.value.toUpperCase()))];

    // Their messages: attached to them, kept as noise that would have matched them, or waiting in
    // review with them as the contact.
    const contactIsThem = sql`(lower(r.contact->>'email') = any(${textArray(emails)}) or r.contact->>'phone' = any(${textArray(phones)}) or upper(r.contact->>'slackUser') = any(${textArray(slackIds)}))`;
    const theirs = await rows<{ id: string; thread_id: string | null; subject: string | null; text: string }>(
      tx,
      sql`select c.id, c.thread_id, c.subject, c.text from communications c
          where c.customer_id = any(${uuidArray(ids)})
             or c.match->>'customerId' = any(${textArray(ids)})
             or exists (select 1 from review_items r where r.communication_id = c.id and (r.resolved_customer_id = any(${uuidArray(ids)}) or ${contactIsThem}))`,
    );
    const messageIds = theirs.map((m) => m.id);
    const counts: Record<string, number> = { customers: ids.length };
    Object.assign(counts, await onTexts(theirs.map((m) => ({ subject: m.subject, text: m.text })), tx));

    const messages = uuidArray(messageIds);
    counts.alerts_sent = await count(tx, sql`delete from alerts_sent where communication_id = any(${messages})`);
    counts.review_items = await count(tx, sql`delete from review_items r where r.communication_id = any(${messages}) or r.resolved_customer_id = any(${uuidArray(ids)}) or ${contactIsThem}`);
    counts.communication_vectors = await count(tx, sql`delete from communication_vectors where communication_id = any(${messages})`);
    counts.communications = await count(tx, sql`delete from communications where id = any(${messages})`);
    // The inbox: the ledger rows of their messages, and anything of theirs still waiting or parked
    // (its payload names them), which would otherwise be captured again after the erase.
    const inPayload = [...emails, ...phones, ...slackIds, ...names].filter((v) => v.length >= 3 || (v.length >= 2 && /\p{Script=Han}/u.test(v))).map((v) => `%${v.replace(/[\\%_]/g, '\\$&')}%`);
    counts.inbox = await count(
      tx,
      sql`delete from inbox where communication_id = any(${messages})
          or (payload is not null and payload ilike any(${textArray(inPayload)}))`,
    );
    const threadIds = [...new Set(theirs.map((m) => m.thread_id).filter((t): t is string => t !== null))];
    counts.threads = await count(
      tx,
      sql`delete from threads t where (t.id = any(${uuidArray(threadIds)}) or t.customer_id = any(${uuidArray(ids)}))
          and not exists (select 1 from communications c where c.thread_id = t.id)`,
    );
    counts.threads_cleared = await count(tx, sql`update threads set customer_id = null, subject = null, normalized_subject = null where customer_id = any(${uuidArray(ids)})`);
    counts.customer_merges = await count(tx, sql`delete from customer_merges where source_customer_id = any(${uuidArray(ids)}) or target_customer_id = any(${uuidArray(ids)})`);
    counts.slack_users = await count(tx, sql`delete from slack_users where upper(user_id) = any(${textArray(slackIds)}) or lower(email) = any(${textArray(emails)})`);
    // They were a recipient or cc of other people's messages: keep the entry's role, drop who.
    const names_ = textArray(names);
    const named = sql`(lower(p->>'email') = any(${textArray(emails)}) or p->>'phone' = any(${textArray(phones)}) or upper(p->>'slackUser') = any(${textArray(slackIds)}) or p->>'name' = any(${names_}))`;
    counts.participants_redacted = await count(
      tx,
      sql`update communications c set participants = (
            select coalesce(jsonb_agg(case when ${named} then jsonb_build_object('role', p->'role', 'redacted', true) else p end), '[]'::jsonb)
            from jsonb_array_elements(c.participants) p)
          where exists (select 1 from jsonb_array_elements(c.participants) p where ${named})`,
    );
    counts.identities = await count(tx, sql`delete from identities where customer_id = any(${uuidArray(ids)})`);
    counts.orders = await count(tx, sql`delete from orders where customer_id = any(${uuidArray(ids)})`);
    // Segment memberships, value tiers and linked Slack channels go with the row (ON DELETE CASCADE).
    await tx.execute(sql`delete from customers where id = any(${uuidArray(ids)})`);

    const [tomb] = await rows<{ erased_at: Date | string }>(
      tx,
      sql`insert into customer_erasures (customer_id, erased_by, counts) values (${id}::uuid, ${erasedBy}, ${JSON.stringify(counts)}::jsonb) returning erased_at`,
    );
    return { customerId: id, erasedBy, erasedAt: new Date(tomb!.erased_at).toISOString(), counts };
  });
}

/**
 * Subtracts erased messages' terms from the keyword document frequencies (`perMessage`: each
 * message's distinct terms), drops terms no message has any more, and blanks those words in the
 * stored word-vector vocabularies (the vectors keep their positions). Returns counts for the tombstone.
 */
export async function subtractTerms(tx: DbOrTx, perMessage: string[][]): Promise<Record<string, number>> {
  const delta = new Map<string, number>();
  for (const terms of perMessage) for (const t of new Set(terms)) delta.set(t, (delta.get(t) ?? 0) + 1);
  if (delta.size === 0 && perMessage.length === 0) return {};
  const terms = [...delta.keys()];
  const by = [...delta.values()];
  await tx.execute(sql`update analytics_terms a set df = a.df - d.n from unnest(${textArray(terms)}, ${`{${by.join(',')}}`}::int[]) as d(term, n) where a.term = d.term`);
  const gone = (await rows<{ term: string }>(tx, sql`delete from analytics_terms where df <= 0 returning term`)).map((r) => r.term);
  await tx.execute(sql`update analytics_counters set value = greatest(0, value - ${perMessage.length}) where name = 'documents'`);
  let vocabulary = 0;
  if (gone.length > 0) {
    vocabulary = await count(
      tx,
      sql`update word_vector_models m set words = (
            select jsonb_agg(case when w = any(${textArray(gone)}) then '' else w end order by i) from jsonb_array_elements_text(m.words) with ordinality as x(w, i))
          where exists (select 1 from jsonb_array_elements_text(m.words) w where w = any(${textArray(gone)}))`,
    );
  }
  return { analytics_terms: gone.length, word_vector_models: vocabulary };
}
