// Which thread a message belongs to (pure). Explicit keys first — a channel's thread key (Slack
// thread_ts, a webhook's thread id) or email References/In-Reply-To resolved to a stored message —
// then, for email without those headers, the same normalized subject with the same customer within
// a window (14 days), else a new thread.
import type { InboundMessage } from './inbound-message.js';

export const SUBJECT_WINDOW_DAYS = 14;

// Reply and forward prefixes as mail clients write them: English, German (AW/WG), Nordic (SV/VS),
// Dutch (Antw), French (TR), Italian (R/RIF), Chinese simplified and traditional. NFKC has already
// turned full-width letters and the full-width colon into ASCII. Counters like "Re[2]:" or "Re^2:".
const PREFIX = /^\s*(?:re|fwd|fw|aw|wg|sv|vs|antw|tr|rif|r|回复|回覆|答复|答覆|转发|轉發|转寄|轉寄)\s*(?:\[\d+\]|\(\d+\)|\^\d+)?\s*:\s*/iu;
// Bracketed list/ticket tags some systems put first ("[Support] Re: …") don't hide a prefix behind them.
const LEADING_TAG = /^\s*\[[^\]]{1,40}\]\s*/u;

/** The subject without reply/forward prefixes, as written (for display). */
export function stripSubjectPrefixes(subject: string): string {
  let s = subject.normalize('NFKC').replace(/\s+/gu, ' ').trim();
  for (;;) {
    const next = s.replace(PREFIX, '');
    if (next !== s) {
      s = next;
      continue;
    }
    const tag = LEADING_TAG.exec(s);
    if (tag && PREFIX.test(s.slice(tag[0].length))) {
      s = s.slice(tag[0].length).replace(PREFIX, '');
      continue;
    }
    return s.trim();
  }
}

/** The key subjects are compared on: prefixes stripped, width folded, spaces collapsed, lower-cased. */
export function normalizeSubject(subject: string | null | undefined): string {
  return subject ? stripSubjectPrefixes(subject).toLowerCase() : '';
}

/** Message-ids as written and bare ("<a@b>" and "a@b"), so either stored form is found. */
export function messageIdForms(ids: (string | undefined)[]): string[] {
  const out = new Set<string>();
  for (const raw of ids) {
    const id = raw?.trim();
    if (!id) continue;
    const bare = id.replace(/^<(.*)>$/u, '$1');
    out.add(id).add(bare).add(`<${bare}>`);
  }
  return [...out];
}

export type ThreadStep =
  | { by: 'key'; key: string }
  /** Stored messages the headers point to (nearest first), then a thread keyed by the root id. */
  | { by: 'references'; messageIds: string[]; rootKey: string }
  | { by: 'subject'; normalizedSubject: string; window: { from: Date; to: Date } };

export interface ThreadPlan {
  steps: ThreadStep[];
  /** The key of the thread to create when no step finds one. */
  newThreadKey: string;
  normalizedSubject: string | null;
}

export function planThread(msg: InboundMessage, windowDays = SUBJECT_WINDOW_DAYS): ThreadPlan {
  const steps: ThreadStep[] = [];
  const ns = normalizeSubject(msg.subject) || null;
  const key = msg.threadHints.key?.trim();
  if (key) return { steps: [{ by: 'key', key }], newThreadKey: key, normalizedSubject: ns };

  const refs = [...(msg.threadHints.references ?? [])].map((r) => r.trim()).filter(Boolean);
  const inReplyTo = msg.threadHints.inReplyTo?.trim();
  if (refs.length > 0 || inReplyTo) {
    // In-Reply-To is the parent; References run root → parent, so search them nearest first.
    const nearestFirst = [...(inReplyTo ? [inReplyTo] : []), ...[...refs].reverse()];
    const root = bareId(refs[0] ?? inReplyTo!);
    steps.push({ by: 'references', messageIds: messageIdForms(nearestFirst), rootKey: root });
    steps.push({ by: 'key', key: root });
    return { steps, newThreadKey: root, normalizedSubject: ns };
  }
  if (msg.channel === 'email' && ns) {
    const span = windowDays * 86_400_000;
    const at = msg.occurredAt.getTime();
    steps.push({ by: 'subject', normalizedSubject: ns, window: { from: new Date(at - span), to: new Date(at + span) } });
  }
  return { steps, newThreadKey: msg.channel === 'email' ? bareId(msg.externalId) : msg.externalId, normalizedSubject: ns };
}

function bareId(id: string): string {
  return id.trim().replace(/^<(.*)>$/u, '$1');
}
