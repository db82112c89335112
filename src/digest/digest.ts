// What a daily digest says, as plain data. Built from the store (src/store/digest-queries.ts),
// rendered for Slack, email and the terminal (render-*.ts). Nothing here does I/O.

export interface DigestCustomer {
  id: string;
  name: string;
  company: string | null;
}

export interface DigestMessage {
  id: string;
  customer: DigestCustomer | null;
  channel: string;
  kind: string;
  subject: string | null;
  snippet: string;
  sentiment: number | null;
  occurredAt: string;
}

export interface DigestWaiting {
  customer: DigestCustomer;
  /** The last inbound message, unanswered. */
  lastInboundAt: string;
  hoursWaiting: number;
  subject: string | null;
}

export interface DigestChange {
  customer: DigestCustomer;
  what: 'segment' | 'value tier';
  from: string | null;
  to: string;
}

export interface DigestData {
  title: string;
  /** The calendar day the digest covers, in the subscriber's zone (YYYY-MM-DD). */
  day: string;
  timeZone: string;
  window: { from: string; to: string };
  /** Sent after its time (the service was down): said at the top. */
  late: boolean;
  filters: { owner: string | null; segment: string | null };
  newByChannel: { channel: string; kind: string; count: number }[];
  newFeedback: DigestMessage[];
  negativeHighValue: DigestMessage[];
  waiting: DigestWaiting[];
  waitingHours: number;
  topKeywords: { term: string; count: number }[];
  risingKeywords: { term: string; count: number; previous: number }[];
  changes: DigestChange[];
}

/** Counts per section: stored with each delivery and printed by `digest preview`. */
export function digestSummary(d: DigestData): Record<string, number> {
  return {
    newCommunications: d.newByChannel.reduce((s, r) => s + r.count, 0),
    newFeedback: d.newFeedback.length,
    negativeHighValue: d.negativeHighValue.length,
    waiting: d.waiting.length,
    topKeywords: d.topKeywords.length,
    risingKeywords: d.risingKeywords.length,
    changes: d.changes.length,
  };
}

export function isEmptyDigest(d: DigestData): boolean {
  return Object.values(digestSummary(d)).every((n) => n === 0);
}

/** One line of a message: at most `max` characters, whitespace folded. */
export function snippetOf(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
