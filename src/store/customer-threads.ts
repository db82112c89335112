// A customer's conversations for the console, grouped by thread: the threads with the latest
// activity first (a page of them, keyset-paginated), each with its messages oldest first. A
// message without a thread (a note) is a thread of its own. Texts are cut at TEXT_LIMIT: the full
// text is read on demand (communicationDetail).
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from './database.js';
import { cutPage, decodeCursor, isUuid, pageSize, type Page, type PageRequest } from './pagination.js';
import type { AttachmentMeta, MatchInfo, Participant } from './schema/index.js';
import { queryRows } from './rows.js';

export const TEXT_LIMIT = 1500;

export interface ThreadMessage {
  id: string;
  channel: string;
  direction: 'inbound' | 'outbound' | 'internal';
  kind: string;
  subject: string | null;
  text: string;
  /** The text was cut, or the full text differs from the clean text. */
  hasMore: boolean;
  from: Participant | null;
  attachments: AttachmentMeta[];
  occurredAt: string;
  sentiment: number | null;
  match: MatchInfo | null;
  flags: string[];
}

export interface ThreadView {
  key: string;
  channel: string;
  subject: string | null;
  kind: string | null;
  status: string | null;
  lastAt: string;
  count: number;
  messages: ThreadMessage[];
}

const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** Most messages shown per thread on the page (the latest ones); the rest are counted. */
export const MESSAGES_PER_THREAD = 30;

export async function customerThreads(db: DbOrTx, customerId: string, page: PageRequest = {}): Promise<Page<ThreadView>> {
  const limit = pageSize(page.limit ?? 25);
  const conds: SQL[] = [];
  if (page.cursor) {
    const [at, key] = decodeCursor(page.cursor, ['timestamp', 'uuid']);
    conds.push(sql`(max(occurred_at), coalesce(thread_id, id)) < (${at}::timestamptz, ${key}::uuid)`);
  }
  const keys = await queryRows<{ key: string; last: string; n: number | string }>(db, sql`
    select coalesce(thread_id, id) as key, to_char(max(occurred_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as last, count(*) as n
    from communications
    where customer_id = ${customerId}::uuid and not ('deleted' = any(flags))
    group by 1 ${conds.length ? sql`having ${sql.join(conds, sql` and `)}` : sql``}
    order by max(occurred_at) desc, 1 desc
    limit ${limit + 1}`);
  const cut = cutPage(keys, limit, (r) => [r.last, r.key]);
  const ids = cut.rows.map((r) => r.key);
  if (ids.length === 0) return { data: [], nextCursor: null };

  const [messages, threads] = await Promise.all([
    queryRows<{
      id: string; key: string; channel: string; direction: ThreadMessage['direction']; kind: string; subject: string | null; text: string; long: boolean;
      participants: unknown; attachments: unknown; occurred_at: string | Date; sentiment: number | string | null; match: unknown; flags: string[];
    }>(db, sql`
      select * from (
        select id, coalesce(thread_id, id) as key, channel, direction, kind, subject, left(text, ${TEXT_LIMIT}) as text,
          (length(text) > ${TEXT_LIMIT} or full_text is not null) as long, participants, attachments, occurred_at, sentiment, match, flags,
          row_number() over (partition by coalesce(thread_id, id) order by occurred_at desc) as rn
        from communications
        where customer_id = ${customerId}::uuid and coalesce(thread_id, id) = any(${sql.param(ids)}::uuid[]) and not ('deleted' = any(flags))
      ) m where rn <= ${MESSAGES_PER_THREAD}
      order by occurred_at asc, id asc`),
    queryRows<{ id: string; channel: string; subject: string | null; kind: string | null; status: string }>(db, sql`
      select id, channel, subject, kind, status from threads where id = any(${sql.param(ids)}::uuid[])`),
  ]);
  const threadById = new Map(threads.map((t) => [t.id, t]));
  const byKey = new Map<string, ThreadMessage[]>();
  for (const m of messages) {
    const participants = json<Participant[]>(m.participants) ?? [];
    const list = byKey.get(m.key) ?? [];
    list.push({
      id: m.id, channel: m.channel, direction: m.direction, kind: m.kind, subject: m.subject, text: m.text, hasMore: Boolean(m.long),
      from: participants.find((p) => p.role === 'from') ?? null, attachments: json<AttachmentMeta[]>(m.attachments) ?? [],
      occurredAt: new Date(m.occurred_at).toISOString(), sentiment: m.sentiment === null ? null : Number(m.sentiment), match: json<MatchInfo | null>(m.match), flags: m.flags ?? [],
    });
    byKey.set(m.key, list);
  }
  return {
    data: cut.rows.map((r) => {
      const t = threadById.get(r.key);
      const msgs = byKey.get(r.key) ?? [];
      return {
        key: r.key, channel: t?.channel ?? msgs[0]?.channel ?? '', subject: t?.subject ?? msgs[0]?.subject ?? null, kind: t?.kind ?? msgs[0]?.kind ?? null,
        status: t?.status ?? null, lastAt: r.last, count: Number(r.n), messages: msgs,
      };
    }),
    nextCursor: cut.nextCursor,
  };
}

export interface CommunicationDetail extends ThreadMessage {
  fullText: string | null;
  cleanText: string;
  participants: Participant[];
  customerId: string | null;
  threadId: string | null;
  language: string | null;
  keywords: string[];
}

/** One communication in full (both texts), for "full text on demand". */
export async function communicationDetail(db: DbOrTx, id: string): Promise<CommunicationDetail | null> {
  if (!isUuid(id)) return null;
  const [m] = await queryRows<{
    id: string; channel: string; direction: ThreadMessage['direction']; kind: string; subject: string | null; text: string; full_text: string | null; participants: unknown;
    attachments: unknown; occurred_at: string | Date; sentiment: number | string | null; match: unknown; flags: string[]; customer_id: string | null; thread_id: string | null;
    language: string | null; keywords: string[];
  }>(db, sql`select id, channel, direction, kind, subject, text, full_text, participants, attachments, occurred_at, sentiment, match, flags, customer_id, thread_id, language, keywords
    from communications where id = ${id}::uuid`);
  if (!m) return null;
  const participants = json<Participant[]>(m.participants) ?? [];
  return {
    id: m.id, channel: m.channel, direction: m.direction, kind: m.kind, subject: m.subject, text: m.text, cleanText: m.text, fullText: m.full_text, hasMore: false,
    from: participants.find((p) => p.role === 'from') ?? null, participants, attachments: json<AttachmentMeta[]>(m.attachments) ?? [],
    occurredAt: new Date(m.occurred_at).toISOString(), sentiment: m.sentiment === null ? null : Number(m.sentiment), match: json<MatchInfo | null>(m.match),
    flags: m.flags ?? [], customerId: m.customer_id, threadId: m.thread_id, language: m.language, keywords: m.keywords ?? [],
  };
}

/** A customer's latest notes (kind `note`), newest first. */
export async function customerNotes(db: DbOrTx, customerId: string, limit = 10): Promise<{ id: string; text: string; by: string | null; at: string }[]> {
  const rows = await queryRows<{ id: string; text: string; participants: unknown; occurred_at: string | Date }>(db, sql`
    select id, left(text, ${TEXT_LIMIT}) as text, participants, occurred_at from communications
    where customer_id = ${customerId}::uuid and kind = 'note' and not ('deleted' = any(flags))
    order by occurred_at desc limit ${limit}`);
  return rows.map((r) => {
    const from = (json<Participant[]>(r.participants) ?? []).find((p) => p.role === 'from');
    return { id: r.id, text: r.text, by: from?.name ?? from?.email ?? from?.slackUser ?? null, at: new Date(r.occurred_at).toISOString() };
  });
}
