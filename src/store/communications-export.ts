// Every communication since a date, oldest first, in keyset pages: `rapport communications export`
// streams them out page by page, so memory stays flat however many there are.
import { and, asc, eq, gte, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from './database.js';
import { exactTimestamp } from './pagination.js';
import { communications, customers } from './schema/index.js';

export interface ExportedCommunication {
  id: string;
  occurredAt: string;
  channel: string;
  direction: string;
  kind: string;
  customerId: string | null;
  customerName: string | null;
  companyId: string | null;
  threadId: string | null;
  from: string | null;
  subject: string | null;
  text: string;
  language: string | null;
  sentiment: number | null;
  flags: string[];
}

export interface CommunicationExportFilter {
  since: Date;
  customerId?: string | undefined;
}

/** Where the previous page ended (its last row's exact time and id). */
export type ExportPosition = [at: string, id: string];

export async function communicationsExportPage(
  db: DbOrTx,
  filter: CommunicationExportFilter,
  after: ExportPosition | null,
  limit: number,
): Promise<{ rows: ExportedCommunication[]; next: ExportPosition | null }> {
  const conds: SQL[] = [gte(communications.occurredAt, filter.since)];
  if (filter.customerId) conds.push(eq(communications.customerId, filter.customerId));
  if (after) conds.push(sql`(${communications.occurredAt}, ${communications.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  const rows = await db
    .select({ c: communications, customerName: customers.name, at: exactTimestamp(communications.occurredAt) })
    .from(communications)
    .leftJoin(customers, eq(customers.id, communications.customerId))
    .where(and(...conds))
    .orderBy(asc(communications.occurredAt), asc(communications.id))
    .limit(limit);
  const last = rows[rows.length - 1];
  return {
    rows: rows.map(({ c, customerName }) => {
      const from = c.participants.find((p) => p.role === 'from');
      return {
        id: c.id,
        occurredAt: c.occurredAt.toISOString(),
        channel: c.channel,
        direction: c.direction,
        kind: c.kind,
        customerId: c.customerId,
        customerName,
        companyId: c.companyId,
        threadId: c.threadId,
        from: from ? (from.email ?? from.phone ?? from.slackUser ?? from.name ?? null) : null,
        subject: c.subject,
        text: c.text,
        language: c.language,
        sentiment: c.sentiment === null ? null : Number(c.sentiment),
        flags: c.flags,
      };
    }),
    next: rows.length === limit && last ? [last.at, last.c.id] : null,
  };
}
