// The capture pipeline's ports (src/core/ports.ts) on Drizzle. Every method runs on the transaction
// it was made for; `lock` is a transaction-scoped advisory lock, so concurrent deliveries of one
// message (or two messages creating one new customer) take turns and see each other's commit.
import { and, desc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { CapturePorts, CaptureTx, IdentityKey } from '../core/ports.js';
import type { Db, DbOrTx, Tx } from './database.js';
import { communications, companies, customers, identities, reviewItems, staffIdentities, threads } from './schema/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const identityMatch = (keys: IdentityKey[]) => or(...keys.map((k) => and(eq(identities.kind, k.kind), eq(identities.value, k.value))));

/** The ports bound to one transaction (or, for reads outside a capture, to the database). */
export function captureTxPorts(db: DbOrTx): CaptureTx {
  const self: CaptureTx = {
    async lock(key) {
      await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
    },

    async findCommunication(channel, externalId) {
      const [row] = await db
        .select({
          id: communications.id,
          customerId: communications.customerId,
          companyId: communications.companyId,
          threadId: communications.threadId,
          direction: communications.direction,
          match: communications.match,
          flags: communications.flags,
        })
        .from(communications)
        .where(and(eq(communications.channel, channel), eq(communications.externalId, externalId)));
      return row ?? null;
    },

    async findIdentityHolders(keys) {
      if (keys.length === 0) return [];
      return db
        .select({ customerId: identities.customerId, companyId: customers.companyId, kind: identities.kind, value: identities.value })
        .from(identities)
        .innerJoin(customers, eq(customers.id, identities.customerId))
        .where(and(isNull(customers.deletedAt), identityMatch(keys)));
    },

    async findCompaniesByDomain(domains) {
      if (domains.length === 0) return [];
      const rows = await db
        .select({ id: companies.id, name: companies.name, domains: companies.domains })
        .from(companies)
        .where(sql`${companies.domains} && ${sql.param(domains)}::text[]`);
      return rows.flatMap((c) => c.domains.filter((d) => domains.includes(d)).map((domain) => ({ ...c, domain })));
    },

    async findStaff(keys) {
      const staffKeys = keys.filter((k) => k.kind !== 'external_id');
      if (staffKeys.length === 0) return [];
      return db
        .select({ kind: staffIdentities.kind, value: staffIdentities.value })
        .from(staffIdentities)
        .where(or(...staffKeys.map((k) => and(eq(staffIdentities.kind, k.kind as 'email'), eq(staffIdentities.value, k.value)))));
    },

    async holdCustomer(customerId) {
      let id = customerId;
      for (let hop = 0; hop < 5 && UUID.test(id); hop++) {
        const [row] = await db
          .select({ id: customers.id, companyId: customers.companyId, deletedAt: customers.deletedAt, mergedInto: sql<string | null>`${customers.attributes}->>'merged_into'` })
          .from(customers)
          .where(eq(customers.id, id))
          .for('share');
        if (!row) return null;
        if (!row.deletedAt) return { id: row.id, companyId: row.companyId };
        if (!row.mergedInto) return null;
        id = row.mergedInto;
      }
      return null;
    },

    async findCompany(companyId) {
      if (!UUID.test(companyId)) return null;
      const [row] = await db.select({ id: companies.id, name: companies.name, domains: companies.domains }).from(companies).where(eq(companies.id, companyId));
      return row ?? null;
    },

    async findThreadByKey(channel, threadKey) {
      const [row] = await db
        .select({ id: threads.id, customerId: threads.customerId })
        .from(threads)
        .where(and(eq(threads.channel, channel), eq(threads.threadKey, threadKey)));
      return row ?? null;
    },

    async findThreadByMessageIds(channel, externalIds) {
      if (externalIds.length === 0) return null;
      const rows = await db
        .select({ id: threads.id, customerId: threads.customerId, externalId: communications.externalId })
        .from(communications)
        .innerJoin(threads, eq(threads.id, communications.threadId))
        .where(and(eq(communications.channel, channel), inArray(communications.externalId, externalIds)));
      // The nearest message the headers name wins (the list is nearest first).
      for (const id of externalIds) {
        const row = rows.find((r) => r.externalId === id);
        if (row) return { id: row.id, customerId: row.customerId };
      }
      return null;
    },

    async findThreadBySubject(channel, customerId, normalizedSubject, window) {
      const [row] = await db
        .select({ id: threads.id, customerId: threads.customerId })
        .from(threads)
        .where(
          and(
            eq(threads.channel, channel),
            eq(threads.customerId, customerId),
            eq(threads.normalizedSubject, normalizedSubject),
            gte(threads.lastAt, window.from),
            lte(threads.firstAt, window.to),
          ),
        )
        .orderBy(desc(threads.lastAt))
        .limit(1);
      return row ?? null;
    },

    async upsertThread(t) {
      const [row] = await db
        .insert(threads)
        .values({
          channel: t.channel,
          threadKey: t.threadKey,
          customerId: t.customerId,
          subject: t.subject,
          normalizedSubject: t.normalizedSubject,
          kind: t.kind,
          firstAt: t.occurredAt,
          lastAt: t.occurredAt,
        })
        .onConflictDoUpdate({
          target: [threads.channel, threads.threadKey],
          set: {
            firstAt: sql`least(${threads.firstAt}, excluded.first_at)`,
            lastAt: sql`greatest(${threads.lastAt}, excluded.last_at)`,
            customerId: sql`coalesce(${threads.customerId}, excluded.customer_id)`,
          },
        })
        .returning({ id: threads.id, customerId: threads.customerId });
      return row!;
    },

    async touchThread(threadId, occurredAt, customerId) {
      await db
        .update(threads)
        .set({
          firstAt: sql`least(${threads.firstAt}, ${occurredAt.toISOString()}::timestamptz)`,
          lastAt: sql`greatest(${threads.lastAt}, ${occurredAt.toISOString()}::timestamptz)`,
          ...(customerId ? { customerId: sql`coalesce(${threads.customerId}, ${customerId}::uuid)` } : {}),
        })
        .where(eq(threads.id, threadId));
    },

    async insertCommunication(c) {
      const [row] = await db
        .insert(communications)
        .values(c)
        .onConflictDoNothing({ target: [communications.channel, communications.externalId] })
        .returning({ id: communications.id });
      if (row) return { id: row.id, created: true };
      const existing = await self.findCommunication(c.channel, c.externalId);
      return { id: existing!.id, created: false };
    },

    async createContact(contact) {
      const [row] = await db
        .insert(customers)
        .values({ name: contact.name, companyId: contact.companyId, attributes: { source: 'capture' } })
        .returning({ id: customers.id });
      if (contact.identities.length > 0) {
        // An identity still held by a deleted customer stays there; the rest go to the new one.
        await db
          .insert(identities)
          .values(contact.identities.map((i) => ({ customerId: row!.id, kind: i.kind, value: i.value, display: i.display })))
          .onConflictDoNothing();
      }
      return row!.id;
    },

    async enqueueReview(item) {
      await db
        .insert(reviewItems)
        .values({
          communicationId: item.communicationId,
          reason: item.reason,
          contact: item.contact ? stripUndefined(item.contact) : null,
          companyId: item.companyId,
          candidates: item.candidates.map(stripUndefined),
        })
        .onConflictDoNothing();
    },

    async savepoint(fn) {
      if (!('rollback' in db)) return fn(self);
      return (db as Tx).transaction((inner) => fn(captureTxPorts(inner)));
    },
  };
  return self;
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}

export function createCaptureStore(db: Db): CapturePorts {
  return {
    transaction: (fn) => db.transaction((tx) => fn(captureTxPorts(tx))),
  };
}
