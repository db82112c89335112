// The capture pipeline: dedupe → match → thread → store, for a batch of messages in one
// transaction, set-based. Every lookup is made once for the whole batch (all identities, all
// domains, all thread keys…); the decisions are then taken message by message in arrival order
// over what was found plus what earlier messages of the batch created, so a batch behaves exactly
// like the same messages captured one after the other; everything is written with one statement
// per table. Ids are made here (customers, threads) or given (a message's inbox id becomes its
// communication id), so nothing waits for an insert to learn an id.
//
// Noise (auto_reply, bounce, mailing_list, own_message) is stored for the record but detached: no
// customer, company or thread, no review item, no auto-created customer. The customer it would have
// gone to stays in `match.customerId` with `match.noise = true`, so history and analytics — which
// read communications by customer_id — never see it, without every query needing a filter.
import { randomUUID } from 'node:crypto';
import { noiseFlags, type CaptureResult, type ContactRef, type InboundMessage, type MessageFlag } from './inbound-message.js';
import { detectLanguage } from './language.js';
import { lookupsFor, matchMessage, type MatchOptions } from './matching.js';
import type { CaptureStore, CompanyRef, ExistingCommunication, IdentityHolder, IdentityKey, LiveCustomer, NewCommunication, NewContact, NewReviewItem, NewThread, StoredThread, ThreadRef } from './ports.js';
import { planThread, stripSubjectPrefixes, SUBJECT_WINDOW_DAYS } from './threading.js';

/** What analysis adds to a message (computed before the transaction, off the event loop). */
export interface Analysis {
  language: string | null;
  kind?: string | undefined;
  sentiment?: number | null | undefined;
  keywords?: string[] | undefined;
  /** Added to the message's flags (e.g. a detected auto-reply). */
  flags?: MessageFlag[] | undefined;
  /** Subject and text as words (Chinese segmented) for full-text search. */
  searchText?: string | undefined;
}

export function languageOnly(m: InboundMessage): Analysis {
  return { language: detectLanguage(`${m.subject ?? ''}\n${m.text}`) };
}

export interface CaptureItem {
  /** The inbox id: the communication's id when the message is new. */
  id: string;
  message: InboundMessage;
  analysis: Analysis;
}

export interface CapturePipelineOptions extends MatchOptions {
  subjectWindowDays?: number | undefined;
}

const isNoise = (f: string) => (noiseFlags as readonly string[]).includes(f);
const keyOf = (k: IdentityKey) => `${k.kind}:${k.value}`;
const messageKey = (channel: string, externalId: string) => `${channel}\u0000${externalId}`;
const threadKey = (channel: string, key: string) => `${channel}\u0000${key}`;
const subjectKey = (channel: string, customerId: string, subject: string) => `${channel}\u0000${customerId}\u0000${subject}`;

/** Captures a batch inside the transaction `store` is bound to; one result per item, in order. */
export async function captureBatch(store: CaptureStore, items: CaptureItem[], options: CapturePipelineOptions): Promise<CaptureResult[]> {
  const windowDays = options.subjectWindowDays ?? SUBJECT_WINDOW_DAYS;
  const results: (CaptureResult | null)[] = items.map(() => null);

  // Dedupe: stored before, or earlier in this batch.
  const existing = new Map((await store.findCommunications(items.map((i) => i.message))).map((c) => [messageKey(c.channel, c.externalId), c]));
  const firstInBatch = new Map<string, number>();
  const fresh: number[] = [];
  items.forEach((item, i) => {
    const key = messageKey(item.message.channel, item.message.externalId);
    const seen = existing.get(key);
    if (seen) results[i] = duplicateResult(seen);
    else if (firstInBatch.has(key)) results[i] = null; // resolved after the first is decided
    else {
      firstInBatch.set(key, i);
      fresh.push(i);
    }
  });

  // Facts for matching, for every message at once.
  const identityKeys = new Map<string, IdentityKey>();
  const domains = new Set<string>();
  for (const i of fresh) {
    const l = lookupsFor(items[i]!.message, options);
    for (const k of l.identities) identityKeys.set(keyOf(k), k);
    for (const d of l.domains) domains.add(d);
  }
  const keys = [...identityKeys.values()];
  const holders = keys.length ? await store.findIdentityHolders(keys) : [];
  const companies = domains.size ? await store.findCompaniesByDomain([...domains]) : [];
  const staff = keys.length ? await store.findStaff(keys) : [];
  const hintCompanyIds = new Set<string>();
  const holdIds = new Set(holders.map((h) => h.customerId));
  for (const i of fresh) {
    const h = items[i]!.message.customerHint;
    if (h?.customerId) holdIds.add(h.customerId);
    if (h?.companyId) hintCompanyIds.add(h.companyId);
  }
  const live = holdIds.size ? await store.holdCustomers([...holdIds]) : new Map<string, LiveCustomer | null>();
  // A customer something was merged into is live under its own id too.
  for (const c of [...live.values()]) if (c && !live.has(c.id)) live.set(c.id, c);
  const hintCompanies = new Map((hintCompanyIds.size ? await store.findCompanies([...hintCompanyIds]) : []).map((c) => [c.id, c]));

  // Decide, in arrival order. A customer created for an earlier message is an identity holder for
  // the later ones, as it would be had they been captured one by one.
  const created: IdentityHolder[] = [];
  const newContacts: (NewContact & { id: string })[] = [];
  interface Decided {
    index: number;
    item: CaptureItem;
    direction: CaptureResult['direction'];
    match: CaptureResult['match'];
    noise: boolean;
    customerId: string | null;
    companyId: string | null;
    kind: string;
    flags: MessageFlag[];
    review: NewReviewItem['reason'] | null;
    contact: ContactRef | null;
  }
  const decided: Decided[] = [];
  for (const i of fresh) {
    const item = items[i]!;
    const message = item.message;
    const hint = hintOf(message, live, hintCompanies);
    const decision = matchMessage(message, { holders: created.length ? [...holders, ...created] : holders, companies, staff, hint }, options);
    const match = { ...decision.match };
    const flags = [...new Set([...message.flags, ...(item.analysis.flags ?? [])])];
    const noise = flags.some(isNoise);

    if (!noise && decision.create && decision.contact) {
      const id = randomUUID();
      newContacts.push({ id, name: decision.create.name, companyId: decision.create.companyId, identities: decision.contactIdentities });
      for (const k of decision.contactIdentities) created.push({ kind: k.kind, value: k.value, customerId: id, companyId: decision.create.companyId });
      live.set(id, { id, companyId: decision.create.companyId });
      match.customerId = id;
      match.createdCustomer = true;
    }
    if (!noise && match.customerId) {
      // Follow a merge to the customer it went into; a deleted customer matches nobody.
      const current = live.get(match.customerId);
      if (current && current.id !== match.customerId) Object.assign(match, { customerId: current.id, companyId: current.companyId });
      else if (current) match.companyId ??= current.companyId;
      else Object.assign(match, { rule: 'unmatched', confidence: 0, customerId: null });
    }
    const customerId = noise ? null : match.customerId;
    decided.push({
      index: i,
      item,
      direction: decision.direction,
      match,
      noise,
      customerId,
      companyId: noise ? null : match.companyId,
      kind: item.analysis.kind ?? message.kindHint ?? 'message',
      flags,
      review: !noise && decision.direction !== 'internal' && !customerId ? decision.review : null,
      contact: decision.contact,
    });
  }

  // Threads: look up every key, referenced message and subject once, then resolve in order.
  const plans = new Map(decided.filter((d) => !d.noise).map((d) => [d.index, planThread(d.item.message, windowDays)]));
  const keyQueries = new Map<string, { channel: string; threadKey: string }>();
  const refQueries = new Map<string, { channel: string; externalId: string }>();
  const subjectQueries = new Map<string, { channel: string; customerId: string; normalizedSubject: string }>();
  let windowFrom = Infinity;
  let windowTo = -Infinity;
  for (const d of decided) {
    const plan = plans.get(d.index);
    if (!plan) continue;
    const channel = d.item.message.channel;
    for (const step of plan.steps) {
      if (step.by === 'key') keyQueries.set(threadKey(channel, step.key), { channel, threadKey: step.key });
      else if (step.by === 'references') for (const id of step.messageIds) refQueries.set(messageKey(channel, id), { channel, externalId: id });
      else if (d.customerId) {
        subjectQueries.set(subjectKey(channel, d.customerId, step.normalizedSubject), { channel, customerId: d.customerId, normalizedSubject: step.normalizedSubject });
        windowFrom = Math.min(windowFrom, step.window.from.getTime());
        windowTo = Math.max(windowTo, step.window.to.getTime());
      }
    }
    keyQueries.set(threadKey(channel, plan.newThreadKey), { channel, threadKey: plan.newThreadKey });
  }
  const threadsByKey = new Map<string, StoredThread>();
  for (const t of keyQueries.size ? await store.findThreadsByKeys([...keyQueries.values()]) : []) threadsByKey.set(threadKey(t.channel, t.threadKey), t);
  const threadByMessage = new Map<string, StoredThread>();
  for (const r of refQueries.size ? await store.findThreadsByMessageIds([...refQueries.values()]) : []) threadByMessage.set(messageKey(r.channel, r.externalId), r.thread);
  const bySubject = new Map<string, StoredThread[]>();
  const subjectRows = subjectQueries.size ? await store.findThreadsBySubjects([...subjectQueries.values()], { from: new Date(windowFrom), to: new Date(windowTo) }) : [];
  for (const t of subjectRows) {
    if (!t.customerId || !t.normalizedSubject) continue;
    const k = subjectKey(t.channel, t.customerId, t.normalizedSubject);
    bySubject.set(k, [...(bySubject.get(k) ?? []), t]);
  }

  const touched = new Map<string, StoredThread & { newCustomerId: string | null }>();
  const newThreads = new Map<string, NewThread & { id: string; lastAt: Date }>();
  const threadOf = new Map<number, StoredThread>();
  for (const d of decided) {
    const plan = plans.get(d.index);
    if (!plan) continue;
    const message = d.item.message;
    const channel = message.channel;
    let found: StoredThread | null = null;
    for (const step of plan.steps) {
      if (step.by === 'key') found = threadsByKey.get(threadKey(channel, step.key)) ?? null;
      else if (step.by === 'references') {
        for (const id of step.messageIds) {
          found = threadByMessage.get(messageKey(channel, id)) ?? null;
          if (found) break;
        }
      } else if (d.customerId) {
        const candidates = (bySubject.get(subjectKey(channel, d.customerId, step.normalizedSubject)) ?? []).filter(
          (t) => t.lastAt >= step.window.from && t.firstAt <= step.window.to,
        );
        found = candidates.sort((a, b) => b.lastAt.getTime() - a.lastAt.getTime())[0] ?? null;
      }
      if (found) break;
    }
    const at = message.occurredAt;
    if (found) {
      if (at < found.firstAt) found.firstAt = at;
      if (at > found.lastAt) found.lastAt = at;
      const fresh = newThreads.get(found.id);
      if (fresh) {
        fresh.occurredAt = found.firstAt;
        fresh.lastAt = found.lastAt;
        fresh.customerId ??= d.customerId;
      } else {
        const t = touched.get(found.id) ?? { ...found, newCustomerId: null };
        t.firstAt = found.firstAt;
        t.lastAt = found.lastAt;
        if (!found.customerId && d.customerId) t.newCustomerId ??= d.customerId;
        touched.set(found.id, t);
      }
      found.customerId ??= d.customerId;
    } else {
      const id = randomUUID();
      found = { id, channel, threadKey: plan.newThreadKey, customerId: d.customerId, normalizedSubject: plan.normalizedSubject, firstAt: at, lastAt: at };
      newThreads.set(id, {
        id,
        channel,
        threadKey: plan.newThreadKey,
        customerId: d.customerId,
        subject: message.subject ? stripSubjectPrefixes(message.subject) || null : null,
        normalizedSubject: plan.normalizedSubject,
        kind: d.kind,
        occurredAt: at,
        lastAt: at,
      });
    }
    // Later messages of the batch find this thread by its key, this message's id and its subject.
    threadsByKey.set(threadKey(channel, found.threadKey), found);
    threadByMessage.set(messageKey(channel, message.externalId), found);
    for (const form of [`<${message.externalId.replace(/^<(.*)>$/u, '$1')}>`, message.externalId.replace(/^<(.*)>$/u, '$1')]) {
      threadByMessage.set(messageKey(channel, form), found);
    }
    if (found.customerId && plan.normalizedSubject) {
      const k = subjectKey(channel, found.customerId, plan.normalizedSubject);
      const list = bySubject.get(k) ?? [];
      if (!list.includes(found)) bySubject.set(k, [...list, found]);
    }
    threadOf.set(d.index, found);
  }

  // Write: customers, threads, touches, messages, review items — one statement each.
  if (newContacts.length) await store.insertContacts(newContacts);
  const threadIds = newThreads.size ? await store.insertThreads([...newThreads.values()]) : new Map<string, ThreadRef>();
  const remap = (t: StoredThread): ThreadRef => {
    if (newThreads.has(t.id)) return threadIds.get(threadKey(t.channel, t.threadKey)) ?? { id: t.id, customerId: t.customerId };
    return { id: t.id, customerId: t.customerId };
  };
  if (touched.size) {
    await store.touchThreads([...touched.values()].map((t) => ({ id: t.id, firstAt: t.firstAt, lastAt: t.lastAt, customerId: t.newCustomerId })));
  }
  const rows: (NewCommunication & { id: string })[] = decided.map((d) => {
    const m = d.item.message;
    const thread = threadOf.get(d.index);
    return {
      id: d.item.id,
      channel: m.channel,
      externalId: m.externalId,
      direction: d.direction,
      kind: d.kind,
      threadId: thread ? remap(thread).id : null,
      customerId: d.customerId,
      companyId: d.companyId,
      subject: m.subject ?? null,
      text: m.text,
      fullText: m.fullText ?? null,
      participants: participantsOf(m),
      attachments: m.attachments,
      occurredAt: m.occurredAt,
      language: d.item.analysis.language,
      flags: d.flags,
      keywords: d.item.analysis.keywords ?? [],
      sentiment: d.item.analysis.sentiment ?? null,
      match: d.noise
        ? { rule: d.match.rule, confidence: d.match.confidence, customerId: d.match.customerId, noise: true }
        : { rule: d.match.rule, confidence: d.match.confidence },
      rawRef: m.rawRef ?? null,
      searchText: d.item.analysis.searchText ?? [m.subject, m.text].filter(Boolean).join('\n'),
    };
  });
  const inserted = rows.length ? await store.insertCommunications(rows) : new Set<string>();
  const lost = decided.filter((d) => !inserted.has(d.item.id));
  const raced = lost.length ? new Map((await store.findCommunications(lost.map((d) => d.item.message))).map((c) => [messageKey(c.channel, c.externalId), c])) : new Map<string, ExistingCommunication>();
  const reviews: NewReviewItem[] = [];
  for (const d of decided) {
    if (!inserted.has(d.item.id)) {
      // Stored by someone else between our lookup and our insert: theirs stands.
      const other = raced.get(messageKey(d.item.message.channel, d.item.message.externalId));
      if (other) results[d.index] = duplicateResult(other);
      continue;
    }
    if (d.review) {
      reviews.push({ communicationId: d.item.id, reason: d.review, contact: d.contact, companyId: d.match.companyId, candidates: d.match.candidates ?? [] });
    }
    const thread = threadOf.get(d.index);
    results[d.index] = {
      id: d.item.id,
      status: 'created',
      customerId: d.customerId,
      threadId: thread ? remap(thread).id : null,
      direction: d.direction,
      match: d.match,
      queuedForReview: d.review !== null,
      noise: d.noise,
    };
  }
  if (reviews.length) await store.enqueueReviews(reviews);

  // Later copies of a message within the batch are duplicates of the first.
  items.forEach((item, i) => {
    if (results[i]) return;
    const first = results[firstInBatch.get(messageKey(item.message.channel, item.message.externalId))!];
    results[i] = first ? { ...first, status: 'duplicate', queuedForReview: false, noise: false } : rejectedResult(item.message, 'internal', 'not captured');
  });
  return results as CaptureResult[];
}

function hintOf(m: InboundMessage, live: Map<string, LiveCustomer | null>, companies: Map<string, CompanyRef>): { customerId: string | null; companyId: string | null } | null {
  const h = m.customerHint;
  if (!h || (!h.customerId && !h.companyId)) return null;
  if (h.customerId) {
    const c = live.get(h.customerId); // follows a merge
    if (c) return { customerId: c.id, companyId: c.companyId };
  }
  const company = h.companyId ? companies.get(h.companyId) : undefined;
  return company ? { customerId: null, companyId: company.id } : null;
}

export function duplicateResult(c: ExistingCommunication): CaptureResult {
  return {
    id: c.id,
    status: 'duplicate',
    customerId: c.customerId,
    threadId: c.threadId,
    direction: c.direction,
    match: { rule: c.match?.rule ?? 'unmatched', confidence: c.match?.confidence ?? 0, customerId: c.customerId, companyId: c.companyId },
  };
}

export function rejectedResult(message: InboundMessage, code: string, text: string): CaptureResult {
  return {
    id: '',
    status: 'rejected',
    customerId: null,
    threadId: null,
    direction: message?.directionHint ?? 'inbound',
    match: { rule: 'unmatched', confidence: 0, customerId: null, companyId: null },
    error: { code, message: text },
  };
}

function participantsOf(m: InboundMessage): NewCommunication['participants'] {
  const one = (role: 'from' | 'to' | 'cc', c: ContactRef) => {
    const p: NewCommunication['participants'][number] = { role };
    if (c.email) p.email = c.email.trim().toLowerCase();
    if (c.phone) p.phone = c.phone.trim();
    if (c.slackUser) p.slackUser = c.slackUser.trim();
    if (c.name) p.name = c.name.trim();
    return p;
  };
  return [one('from', m.from), ...m.to.map((c) => one('to', c)), ...(m.cc ?? []).map((c) => one('cc', c))];
}
