// Reading communications: a customer's timeline (newest first) and full-text search for Chinese and
// English. The query is segmented as search_text was at capture time (segmentWords, as in
// searchTextOf), so the `simple` half of the tsvector matches Chinese words; the `english` half
// adds stemming.
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { validationError } from '../core/errors.js';
import type { DbOrTx } from './database.js';
import { segmentedWebQuery } from './search-query.js';
import { cutPage, decodeCursor, exactTimestamp, isUuid, pageSize, type Page, type PageRequest } from './pagination.js';
import { communications, type AttachmentMeta, type MatchInfo, type Participant } from './schema/index.js';

export interface CommunicationView {
  id: string;
  channel: string;
  direction: 'inbound' | 'outbound' | 'internal';
  kind: string;
  customerId: string | null;
  companyId: string | null;
  threadId: string | null;
  subject: string | null;
  text: string;
  participants: Participant[];
  attachments: AttachmentMeta[];
  occurredAt: string;
  language: string | null;
  flags: string[];
  keywords: string[];
  sentiment: number | null;
  match: MatchInfo | null;
}

const columns = {
  id: communications.id,
  channel: communications.channel,
  direction: communications.direction,
  kind: communications.kind,
  customerId: communications.customerId,
  companyId: communications.companyId,
  threadId: communications.threadId,
  subject: communications.subject,
  text: communications.text,
  participants: communications.participants,
  attachments: communications.attachments,
  occurredAt: communications.occurredAt,
  language: communications.language,
  flags: communications.flags,
  keywords: communications.keywords,
  sentiment: communications.sentiment,
  match: communications.match,
  at: exactTimestamp(communications.occurredAt),
};

type Row = Pick<typeof communications.$inferSelect, Exclude<keyof typeof columns, 'at'>>;

function view(r: Row): CommunicationView {
  return {
    id: r.id,
    channel: r.channel,
    direction: r.direction,
    kind: r.kind,
    customerId: r.customerId,
    companyId: r.companyId,
    threadId: r.threadId,
    subject: r.subject,
    text: r.text,
    participants: r.participants,
    attachments: r.attachments,
    occurredAt: r.occurredAt.toISOString(),
    language: r.language,
    flags: r.flags,
    keywords: r.keywords,
    sentiment: r.sentiment === null ? null : Number(r.sentiment),
    match: r.match,
  };
}

/** A customer's communications, newest first. */
export async function customerTimeline(db: DbOrTx, customerId: string, page: PageRequest = {}): Promise<Page<CommunicationView>> {
  const limit = pageSize(page.limit);
  const conds: SQL[] = [eq(communications.customerId, customerId)];
  if (page.cursor) {
    const [at, id] = decodeCursor(page.cursor, ['timestamp', 'uuid']);
    conds.push(sql`(${communications.occurredAt}, ${communications.id}) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db
    .select(columns)
    .from(communications)
    .where(and(...conds))
    .orderBy(desc(communications.occurredAt), desc(communications.id))
    .limit(limit + 1);
  const cut = cutPage(rows, limit, (r) => [r.at, r.id]);
  return { data: cut.rows.map(view), nextCursor: cut.nextCursor };
}

export async function getCommunication(db: DbOrTx, id: string): Promise<(CommunicationView & { fullText: string | null }) | null> {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({ ...columns, fullText: communications.fullText })
    .from(communications)
    .where(eq(communications.id, id));
  return row ? { ...view(row), fullText: row.fullText } : null;
}

export interface SearchFilter {
  q: string;
  customerId?: string | undefined;
  channel?: string | undefined;
  kind?: string | undefined;
  /** Occurred at or after / before these instants. */
  from?: Date | undefined;
  to?: Date | undefined;
}

export type SearchHit = CommunicationView & { rank: number };

/**
 * How many of the newest matches a search ranks. Ranking every match made a common word slow at
 * size (a few percent of 1,000,000 messages is tens of thousands of rows read and ranked for one
 * page: 630 ms median); the newest matches are found through the time index and ranked in memory.
 * An older message is found by narrowing the query or with `from`/`to`.
 */
export const SEARCH_CANDIDATES = 500;

/**
 * Communications matching the query, best first (rank, then newest) among the newest
 * SEARCH_CANDIDATES matches. The query uses web-search syntax ("quoted phrase", -exclude, or) on
 * the English side; Chinese is matched word by word.
 */
export async function searchCommunications(db: DbOrTx, f: SearchFilter, page: PageRequest = {}): Promise<Page<SearchHit>> {
  const limit = pageSize(page.limit);
  const query = sql`(websearch_to_tsquery('simple', ${segmentedWebQuery(f.q)}) || websearch_to_tsquery('english', ${f.q}))`;
  const conds: SQL[] = [sql`${communications.search} @@ ${query}`];
  if (f.customerId) conds.push(eq(communications.customerId, f.customerId));
  if (f.channel) conds.push(eq(communications.channel, f.channel));
  if (f.kind) conds.push(eq(communications.kind, f.kind));
  if (f.from) conds.push(sql`${communications.occurredAt} >= ${f.from}`);
  if (f.to) conds.push(sql`${communications.occurredAt} < ${f.to}`);
  // The newest matches (the planner walks the time index backwards for a common word, or reads
  // the few matches of a rare one from the text index), each with its rank.
  const candidates = db
    .select({ id: communications.id, rank: sql<number>`ts_rank(${communications.search}, ${query})`.as('rank') })
    .from(communications)
    .where(and(...conds))
    .orderBy(desc(communications.occurredAt), desc(communications.id))
    .limit(SEARCH_CANDIDATES)
    .as('candidates');
  const after: SQL[] = [];
  if (page.cursor) {
    const [r, at, id] = decodeCursor(page.cursor, ['string', 'timestamp', 'uuid']);
    if (!Number.isFinite(Number(r))) throw validationError('the cursor is not valid', [{ field: 'cursor', message: 'invalid cursor' }]);
    after.push(sql`(${candidates.rank}, ${communications.occurredAt}, ${communications.id}) < (${r}::real, ${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db
    .select({ ...columns, rank: sql<string>`${candidates.rank}::text` })
    .from(candidates)
    .innerJoin(communications, eq(communications.id, candidates.id))
    .where(and(...after))
    .orderBy(desc(candidates.rank), desc(communications.occurredAt), desc(communications.id))
    .limit(limit + 1);
  const cut = cutPage(rows, limit, (r) => [String(r.rank), r.at, r.id]);
  return { data: cut.rows.map((r) => ({ ...view(r), rank: Number(r.rank) })), nextCursor: cut.nextCursor };
}
