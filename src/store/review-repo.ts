// The review queue: messages capture could not attach to a customer (unmatched, ambiguous, or only a
// company). Linking one attaches it — and its thread — to a customer and teaches that customer the
// person's identities, so the next message matches on its own; other open items from the same
// person are linked with it.
import { and, asc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import { RapportError, notFound } from '../core/errors.js';
import { contactIdentities, isOwnPerson } from '../core/matching.js';
import { captureStore } from './capture-store.js';
import type { Db, DbOrTx } from './database.js';
import { cutPage, decodeCursor, exactTimestamp, isUuid, pageSize, type Page, type PageRequest } from './pagination.js';
import { communications, companies, customers, identities, reviewItems, threads, type ReviewContact } from './schema/index.js';

export type ReviewStatus = 'open' | 'linked' | 'dismissed';

export interface ReviewItemView {
  id: string;
  communicationId: string;
  reason: 'unmatched' | 'ambiguous' | 'company_only';
  status: ReviewStatus;
  contact: ReviewContact | null;
  company: { id: string; name: string } | null;
  candidates: { customerId?: string; companyId?: string }[];
  communication: { channel: string; direction: string; subject: string | null; text: string; occurredAt: string };
  resolvedCustomerId: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  createdAt: string;
}

export interface ReviewOptions {
  defaultRegion: string;
  internalDomains: string[];
}

const PREVIEW = 280;

export async function listReviewItems(db: DbOrTx, filter: { status?: ReviewStatus | undefined }, page: PageRequest = {}): Promise<Page<ReviewItemView>> {
  const limit = pageSize(page.limit);
  const conds: SQL[] = [eq(reviewItems.status, filter.status ?? 'open')];
  if (page.cursor) {
    const [at, id] = decodeCursor(page.cursor, ['timestamp', 'uuid']);
    conds.push(sql`(${reviewItems.createdAt}, ${reviewItems.id}) > (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db
    .select({ r: reviewItems, c: communications, co: { id: companies.id, name: companies.name }, at: exactTimestamp(reviewItems.createdAt) })
    .from(reviewItems)
    .innerJoin(communications, eq(communications.id, reviewItems.communicationId))
    .leftJoin(companies, eq(companies.id, reviewItems.companyId))
    .where(and(...conds))
    .orderBy(asc(reviewItems.createdAt), asc(reviewItems.id))
    .limit(limit + 1);
  const cut = cutPage(rows, limit, (x) => [x.at, x.r.id]);
  return {
    data: cut.rows.map(({ r, c, co }) => ({
      id: r.id,
      communicationId: r.communicationId,
      reason: r.reason,
      status: r.status,
      contact: r.contact,
      company: co?.id ? { id: co.id, name: co.name } : null,
      candidates: r.candidates,
      communication: {
        channel: c.channel,
        direction: c.direction,
        subject: c.subject,
        text: c.text.length > PREVIEW ? `${c.text.slice(0, PREVIEW)}…` : c.text,
        occurredAt: c.occurredAt.toISOString(),
      },
      resolvedCustomerId: r.resolvedCustomerId,
      resolvedBy: r.resolvedBy,
      resolvedAt: r.resolvedAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    })),
    nextCursor: cut.nextCursor,
  };
}

export interface LinkResult {
  communicationId: string;
  customerId: string;
  /** Identities the customer learned ("email:dave@acme.com"). */
  learned: string[];
  /** The person's identities another customer already holds: not moved (merge the customers for that). */
  heldElsewhere: string[];
  /** Other open review items from the same person, linked too. */
  alsoLinked: string[];
}

/** The person a communication is about, from its review item or, failing that, its participants. */
function contactOf(item: { contact: ReviewContact | null } | undefined, c: typeof communications.$inferSelect): ReviewContact | null {
  if (item?.contact) return item.contact;
  const role = c.direction === 'outbound' ? 'to' : 'from';
  const p = c.participants.find((x) => x.role === role);
  return p ? { email: p.email, phone: p.phone, slackUser: p.slackUser, name: p.name } as ReviewContact : null;
}

async function attach(tx: DbOrTx, communicationId: string, customer: { id: string; companyId: string | null }, by: string, rule: string): Promise<void> {
  const [c] = await tx
    .update(communications)
    .set({ customerId: customer.id, companyId: customer.companyId, match: { rule, confidence: 1 }, updatedAt: sql`now()` })
    .where(eq(communications.id, communicationId))
    .returning({ threadId: communications.threadId });
  if (c?.threadId) await tx.update(threads).set({ customerId: customer.id }).where(and(eq(threads.id, c.threadId), isNull(threads.customerId)));
  await tx
    .update(reviewItems)
    .set({ status: 'linked', resolvedCustomerId: customer.id, resolvedBy: by, resolvedAt: sql`now()` })
    .where(eq(reviewItems.communicationId, communicationId));
}

/** Links a communication to a customer (from the queue or not) and learns the person's identities. */
export async function linkCommunication(db: Db, communicationId: string, customerId: string, by: string, opts: ReviewOptions): Promise<LinkResult> {
  return db.transaction(async (tx) => {
    const [c] = isUuid(communicationId) ? await tx.select().from(communications).where(eq(communications.id, communicationId)) : [];
    if (!c) throw notFound('communication', communicationId);
    const [customer] = isUuid(customerId)
      ? await tx.select({ id: customers.id, companyId: customers.companyId }).from(customers).where(and(eq(customers.id, customerId), isNull(customers.deletedAt)))
      : [];
    if (!customer) throw notFound('customer', customerId);
    if (c.direction === 'internal') throw new RapportError('validation', 'an internal message (among our own people) is not linked to customers', { communicationId });
    const [item] = await tx.select().from(reviewItems).where(eq(reviewItems.communicationId, c.id));

    const contact = contactOf(item, c);
    const ports = captureStore(tx);
    const ids = contactIdentities(contact, opts.defaultRegion);
    const staff = await ports.findStaff(ids);
    const candidates = contact && !isOwnPerson(contact, { staff }, opts) ? ids : [];
    const holders = candidates.length
      ? await tx
          .select({ customerId: identities.customerId, kind: identities.kind, value: identities.value })
          .from(identities)
          .where(or(...candidates.map((i) => and(eq(identities.kind, i.kind), eq(identities.value, i.value)))))
      : [];
    const holderOf = (i: { kind: string; value: string }) => holders.find((h) => h.kind === i.kind && h.value === i.value)?.customerId;
    const learnable = candidates.filter((i) => !holderOf(i) || holderOf(i) === customer.id);
    const heldElsewhere = candidates.filter((i) => holderOf(i) && holderOf(i) !== customer.id).map((i) => `${i.kind}:${i.value}`);
    const fresh = learnable.filter((i) => !holderOf(i));
    if (fresh.length > 0) {
      await tx.insert(identities).values(fresh.map((i) => ({ customerId: customer.id, kind: i.kind, value: i.value, display: i.display })));
    }
    await attach(tx, c.id, customer, by, 'review');

    // Other open items from the same person now match: link them too.
    const keys = new Set(learnable.map((i) => `${i.kind}:${i.value}`));
    const alsoLinked: string[] = [];
    if (keys.size > 0) {
      const open = await tx.select({ communicationId: reviewItems.communicationId, contact: reviewItems.contact }).from(reviewItems).where(eq(reviewItems.status, 'open'));
      for (const o of open) {
        if (contactIdentities(o.contact, opts.defaultRegion).some((i) => keys.has(`${i.kind}:${i.value}`))) {
          await attach(tx, o.communicationId, customer, by, 'review');
          alsoLinked.push(o.communicationId);
        }
      }
    }
    return { communicationId: c.id, customerId: customer.id, learned: fresh.map((i) => `${i.kind}:${i.value}`), heldElsewhere, alsoLinked };
  });
}

export async function dismissReviewItem(db: DbOrTx, communicationId: string, by: string): Promise<boolean> {
  if (!isUuid(communicationId)) return false;
  const rows = await db
    .update(reviewItems)
    .set({ status: 'dismissed', resolvedBy: by, resolvedAt: sql`now()` })
    .where(and(eq(reviewItems.communicationId, communicationId), eq(reviewItems.status, 'open')))
    .returning({ id: reviewItems.id });
  return rows.length > 0;
}

export async function countOpenReviewItems(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(reviewItems).where(eq(reviewItems.status, 'open'));
  return Number(row?.n ?? 0);
}
