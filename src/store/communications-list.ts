// Communications as `rapport communications list` prints them: newest first, with the customer, the
// company and how the match was made.
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from './database.js';
import { cutPage, decodeCursor, exactTimestamp, pageSize, type Page, type PageRequest } from './pagination.js';
import { communications, companies, customers, identities } from './schema/index.js';

export interface CommunicationRecord {
  id: string;
  channel: string;
  external_id: string;
  direction: 'inbound' | 'outbound' | 'internal';
  kind: string;
  customer: { id: string; name: string; email: string | null } | null;
  company: { id: string; name: string } | null;
  thread_id: string | null;
  subject: string | null;
  text: string;
  occurred_at: string;
  flags: string[];
  match: { rule: string; confidence: number } | null;
}

export interface CommunicationListFilter {
  customerId?: string | undefined;
  channel?: string | undefined;
}

export async function listCommunicationRecords(db: DbOrTx, filter: CommunicationListFilter, page: PageRequest = {}): Promise<Page<CommunicationRecord>> {
  const limit = pageSize(page.limit);
  const conds: SQL[] = [];
  if (filter.customerId) conds.push(eq(communications.customerId, filter.customerId));
  if (filter.channel) conds.push(eq(communications.channel, filter.channel));
  if (page.cursor) {
    const [at, id] = decodeCursor(page.cursor, ['timestamp', 'uuid']);
    conds.push(sql`(${communications.occurredAt}, ${communications.id}) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db
    .select({
      c: communications,
      customer: { id: customers.id, name: customers.name },
      company: { id: companies.id, name: companies.name },
      at: exactTimestamp(communications.occurredAt),
    })
    .from(communications)
    .leftJoin(customers, eq(customers.id, communications.customerId))
    .leftJoin(companies, eq(companies.id, communications.companyId))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(communications.occurredAt), desc(communications.id))
    .limit(limit + 1);
  const cut = cutPage(rows, limit, (r) => [r.at, r.c.id]);

  // The customer's first email address, for display.
  const customerIds = [...new Set(cut.rows.map((r) => r.customer?.id).filter((x): x is string => Boolean(x)))];
  const emails = new Map<string, string>();
  if (customerIds.length > 0) {
    const idRows = await db
      .select({ customerId: identities.customerId, display: identities.display })
      .from(identities)
      .where(and(inArray(identities.customerId, customerIds), eq(identities.kind, 'email')))
      .orderBy(asc(identities.createdAt));
    for (const r of idRows) if (!emails.has(r.customerId)) emails.set(r.customerId, r.display);
  }

  return {
    data: cut.rows.map(({ c, customer, company }) => ({
      id: c.id,
      channel: c.channel,
      external_id: c.externalId,
      direction: c.direction,
      kind: c.kind,
      customer: customer?.id ? { id: customer.id, name: customer.name, email: emails.get(customer.id) ?? null } : null,
      company: company?.id ? { id: company.id, name: company.name } : null,
      thread_id: c.threadId,
      subject: c.subject,
      text: c.text,
      occurred_at: c.occurredAt.toISOString(),
      flags: c.flags,
      match: c.match ? { rule: c.match.rule, confidence: c.match.confidence } : null,
    })),
    nextCursor: cut.nextCursor,
  };
}
