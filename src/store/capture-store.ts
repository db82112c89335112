// The capture pipeline's store (src/core/ports.ts CaptureStore) on Drizzle, bound to one
// transaction. Every method takes the whole batch and costs one statement: tuple lookups go
// through unnest() of parallel arrays, writes are multi-row.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { CaptureStore, StoredThread } from '../core/ports.js';
import type { DbOrTx } from './database.js';
import { communications, companies, customers, identities, reviewItems, staffIdentities, threads } from './schema/index.js';
import { nullableTextArray, textArray, timeArray, uuidArray } from './sql-arrays.js';
import { rowsOf } from './rows.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const threadColumns = {
  id: threads.id,
  customerId: threads.customerId,
  channel: threads.channel,
  threadKey: threads.threadKey,
  normalizedSubject: threads.normalizedSubject,
  firstAt: threads.firstAt,
  lastAt: threads.lastAt,
};

export function captureStore(db: DbOrTx): CaptureStore {
  return {
    async findCommunications(keys) {
      if (keys.length === 0) return [];
      return db
        .select({
          id: communications.id,
          channel: communications.channel,
          externalId: communications.externalId,
          customerId: communications.customerId,
          companyId: communications.companyId,
          threadId: communications.threadId,
          direction: communications.direction,
          match: communications.match,
          flags: communications.flags,
        })
        .from(communications)
        .where(
          sql`(${communications.channel}, ${communications.externalId}) in (select * from unnest(${textArray(keys.map((k) => k.channel))}, ${textArray(keys.map((k) => k.externalId))}))`,
        );
    },

    async findIdentityHolders(keys) {
      if (keys.length === 0) return [];
      return db
        .select({ customerId: identities.customerId, companyId: customers.companyId, kind: identities.kind, value: identities.value })
        .from(identities)
        .innerJoin(customers, eq(customers.id, identities.customerId))
        .where(
          and(
            isNull(customers.deletedAt),
            sql`(${identities.kind}, ${identities.value}) in (select * from unnest(${textArray(keys.map((k) => k.kind))}, ${textArray(keys.map((k) => k.value))}))`,
          ),
        );
    },

    async findCompaniesByDomain(domains) {
      if (domains.length === 0) return [];
      const rows = await db
        .select({ id: companies.id, name: companies.name, domains: companies.domains })
        .from(companies)
        .where(sql`${companies.domains} && ${textArray(domains)}`);
      return rows.flatMap((c) => c.domains.filter((d) => domains.includes(d)).map((domain) => ({ ...c, domain })));
    },

    async findStaff(keys) {
      const staffKeys = keys.filter((k) => k.kind !== 'external_id');
      if (staffKeys.length === 0) return [];
      return db
        .select({ kind: staffIdentities.kind, value: staffIdentities.value })
        .from(staffIdentities)
        .where(
          sql`(${staffIdentities.kind}, ${staffIdentities.value}) in (select * from unnest(${textArray(staffKeys.map((k) => k.kind))}, ${textArray(staffKeys.map((k) => k.value))}))`,
        );
    },

    async findCompanies(ids) {
      const valid = ids.filter((id) => UUID.test(id));
      if (valid.length === 0) return [];
      return db.select({ id: companies.id, name: companies.name, domains: companies.domains }).from(companies).where(inArray(companies.id, valid));
    },

    async holdCustomers(ids) {
      const out = new Map<string, { id: string; companyId: string | null } | null>();
      // Each asked id follows its chain of merges (at most a few hops) to a live customer.
      let pending = new Map<string, string[]>(ids.filter((id) => UUID.test(id)).map((id) => [id.toLowerCase(), [id]]));
      for (let hop = 0; hop < 5 && pending.size > 0; hop++) {
        const rows = await db
          .select({ id: customers.id, companyId: customers.companyId, deletedAt: customers.deletedAt, mergedInto: sql<string | null>`${customers.attributes}->>'merged_into'` })
          .from(customers)
          .where(inArray(customers.id, [...pending.keys()]))
          .for('share');
        const next = new Map<string, string[]>();
        for (const row of rows) {
          const askers = pending.get(row.id) ?? [];
          if (!row.deletedAt) for (const a of askers) out.set(a, { id: row.id, companyId: row.companyId });
          else if (row.mergedInto && UUID.test(row.mergedInto)) next.set(row.mergedInto.toLowerCase(), [...(next.get(row.mergedInto.toLowerCase()) ?? []), ...askers]);
          else for (const a of askers) out.set(a, null);
        }
        pending = next;
      }
      for (const askers of pending.values()) for (const a of askers) out.set(a, null);
      return out;
    },

    async findThreadsByKeys(keys) {
      if (keys.length === 0) return [];
      return db
        .select(threadColumns)
        .from(threads)
        .where(sql`(${threads.channel}, ${threads.threadKey}) in (select * from unnest(${textArray(keys.map((k) => k.channel))}, ${textArray(keys.map((k) => k.threadKey))}))`);
    },

    async findThreadsByMessageIds(keys) {
      if (keys.length === 0) return [];
      const rows = await db
        .select({ ...threadColumns, messageChannel: communications.channel, externalId: communications.externalId })
        .from(communications)
        .innerJoin(threads, eq(threads.id, communications.threadId))
        .where(
          sql`(${communications.channel}, ${communications.externalId}) in (select * from unnest(${textArray(keys.map((k) => k.channel))}, ${textArray(keys.map((k) => k.externalId))}))`,
        );
      return rows.map(({ messageChannel, externalId, ...thread }) => ({ channel: messageChannel, externalId, thread: thread as StoredThread }));
    },

    async findThreadsBySubjects(queries, window) {
      if (queries.length === 0) return [];
      return db
        .select(threadColumns)
        .from(threads)
        .where(
          and(
            // md5(): what threads_customer_subject_idx holds.
            sql`(${threads.customerId}, md5(${threads.normalizedSubject})) in (select c, md5(s) from unnest(${uuidArray(queries.map((q) => q.customerId))}, ${textArray(queries.map((q) => q.normalizedSubject))}) as q(c, s))`,
            sql`(${threads.channel}, ${threads.customerId}, ${threads.normalizedSubject}) in (select * from unnest(${textArray(queries.map((q) => q.channel))}, ${uuidArray(queries.map((q) => q.customerId))}, ${textArray(queries.map((q) => q.normalizedSubject))}))`,
            sql`${threads.lastAt} >= ${window.from.toISOString()}::timestamptz`,
            sql`${threads.firstAt} <= ${window.to.toISOString()}::timestamptz`,
          ),
        );
    },

    async insertContacts(contacts) {
      if (contacts.length === 0) return;
      await db.execute(sql`
        insert into ${customers} (id, name, company_id, attributes)
        select v.id, v.name, v.company_id, '{"source":"capture"}'::jsonb
        from unnest(${uuidArray(contacts.map((c) => c.id))}, ${textArray(contacts.map((c) => c.name))}, ${uuidArray(contacts.map((c) => c.companyId))})
          as v(id, name, company_id)`);
      const ids = contacts.flatMap((c) => c.identities.map((i) => ({ customerId: c.id, kind: i.kind, value: i.value, display: i.display })));
      if (ids.length === 0) return;
      // An identity still held by a deleted customer stays there; the rest go to the new one.
      await db.execute(sql`
        insert into ${identities} (customer_id, kind, value, display)
        select * from unnest(${uuidArray(ids.map((i) => i.customerId))}, ${textArray(ids.map((i) => i.kind))}, ${textArray(ids.map((i) => i.value))}, ${textArray(ids.map((i) => i.display))})
        on conflict do nothing`);
    },

    async insertThreads(rows) {
      const out = new Map<string, { id: string; customerId: string | null }>();
      if (rows.length === 0) return out;
      const unique = [...new Map(rows.map((t) => [`${t.channel}\u0000${t.threadKey}`, t])).values()];
      const stored = await db.execute<{ id: string; customer_id: string | null; channel: string; thread_key: string }>(sql`
        insert into ${threads} (id, channel, thread_key, customer_id, subject, normalized_subject, kind, first_at, last_at)
        select * from unnest(
          ${uuidArray(unique.map((t) => t.id))}, ${textArray(unique.map((t) => t.channel))}, ${textArray(unique.map((t) => t.threadKey))},
          ${uuidArray(unique.map((t) => t.customerId))}, ${nullableTextArray(unique.map((t) => t.subject))}, ${nullableTextArray(unique.map((t) => t.normalizedSubject))},
          ${nullableTextArray(unique.map((t) => t.kind))}, ${timeArray(unique.map((t) => t.occurredAt))}, ${timeArray(unique.map((t) => t.lastAt))})
        on conflict (channel, thread_key) do update set
          first_at = least(${threads.firstAt}, excluded.first_at),
          last_at = greatest(${threads.lastAt}, excluded.last_at),
          customer_id = coalesce(${threads.customerId}, excluded.customer_id)
        returning id, customer_id, channel, thread_key`);
      for (const t of rowsOf<{ id: string; customer_id: string | null; channel: string; thread_key: string }>(stored)) {
        out.set(`${t.channel}\u0000${t.thread_key}`, { id: t.id, customerId: t.customer_id });
      }
      return out;
    },

    async touchThreads(updates) {
      if (updates.length === 0) return;
      await db.execute(sql`
        update ${threads} set
          first_at = least(${threads.firstAt}, v.first_at),
          last_at = greatest(${threads.lastAt}, v.last_at),
          customer_id = coalesce(${threads.customerId}, v.customer_id)
        from (select * from unnest(${uuidArray(updates.map((u) => u.id))}, ${timeArray(updates.map((u) => u.firstAt))}, ${timeArray(updates.map((u) => u.lastAt))}, ${uuidArray(updates.map((u) => u.customerId))}))
          as v(id, first_at, last_at, customer_id)
        where ${threads.id} = v.id`);
    },

    async insertCommunications(rows) {
      if (rows.length === 0) return new Set();
      // One array per column, unnested: a statement of 21 parameters whatever the batch size (a
      // multi-row VALUES would carry 21 per row). Nested arrays (flags, keywords) travel as JSON.
      const col = <T>(f: (r: (typeof rows)[number]) => T) => sql.param(rows.map(f));
      const json = (f: (r: (typeof rows)[number]) => unknown) => col((r) => JSON.stringify(f(r)));
      const stored = await db.execute<{ id: string }>(sql`
        insert into ${communications} (id, channel, direction, kind, external_id, thread_id, customer_id, company_id, subject, text, full_text,
          participants, attachments, occurred_at, language, flags, keywords, sentiment, match, raw_ref, search_text)
        select v.id, v.channel, v.direction, v.kind, v.external_id, v.thread_id, v.customer_id, v.company_id, v.subject, v.text, v.full_text,
          v.participants, v.attachments, v.occurred_at, v.language,
          array(select jsonb_array_elements_text(v.flags)), array(select jsonb_array_elements_text(v.keywords)),
          v.sentiment, v.match, v.raw_ref, v.search_text
        from unnest(
          ${col((r) => r.id)}::uuid[], ${col((r) => r.channel)}::text[], ${col((r) => r.direction)}::text[], ${col((r) => r.kind)}::text[],
          ${col((r) => r.externalId)}::text[], ${col((r) => r.threadId)}::uuid[], ${col((r) => r.customerId)}::uuid[], ${col((r) => r.companyId)}::uuid[],
          ${col((r) => r.subject)}::text[], ${col((r) => r.text)}::text[], ${col((r) => r.fullText)}::text[],
          ${json((r) => r.participants)}::jsonb[], ${json((r) => r.attachments)}::jsonb[], ${col((r) => r.occurredAt.toISOString())}::timestamptz[],
          ${col((r) => r.language)}::text[], ${json((r) => r.flags)}::jsonb[], ${json((r) => r.keywords)}::jsonb[], ${col((r) => r.sentiment)}::real[],
          ${json((r) => r.match)}::jsonb[], ${col((r) => r.rawRef)}::text[], ${col((r) => r.searchText)}::text[]
        ) as v(id, channel, direction, kind, external_id, thread_id, customer_id, company_id, subject, text, full_text,
          participants, attachments, occurred_at, language, flags, keywords, sentiment, match, raw_ref, search_text)
        on conflict (channel, external_id) do nothing
        returning id`);
      return new Set(rowsOf<{ id: string }>(stored).map((r) => r.id));
    },

    async enqueueReviews(items) {
      if (items.length === 0) return;
      const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
      await db.execute(sql`
        insert into ${reviewItems} (communication_id, reason, contact, company_id, candidates)
        select * from unnest(
          ${uuidArray(items.map((i) => i.communicationId))}, ${textArray(items.map((i) => i.reason))},
          ${nullableTextArray(items.map((i) => json(i.contact ? stripUndefined(i.contact) : null)))}::jsonb[], ${uuidArray(items.map((i) => i.companyId ?? null))},
          ${textArray(items.map((i) => JSON.stringify(i.candidates.map(stripUndefined))))}::jsonb[])
        on conflict do nothing`);
    },
  };
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}
