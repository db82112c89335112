// The capture pipeline: dedupe → match → thread → analyze → store, in one transaction. Every
// channel calls it with an InboundMessage; (channel, externalId) is unique, so a redelivery — even
// 100 concurrent ones — returns the first delivery's id with status 'duplicate'.
//
// Noise (auto_reply, bounce, mailing_list, own_message) is stored for the record but detached: no
// customer, company or thread, no review item, no auto-created customer. The customer it would have
// gone to stays in `match.customerId` with `match.noise = true`, so history and analytics — which
// read communications by customer_id — never see it, without every query needing a filter.
import { searchTextOf } from '../analytics/segment.js';
import { validationError, type FieldIssue } from './errors.js';
import { noiseFlags, type Capture, type CaptureResult, type ContactRef, type InboundMessage, type MessageFlag } from './inbound-message.js';
import { detectLanguage } from './language.js';
import { lookupsFor, matchMessage, type MatchOptions } from './matching.js';
import type { CapturePorts, CaptureTx, ExistingCommunication, NewCommunication, ThreadRef } from './ports.js';
import { planThread, stripSubjectPrefixes, SUBJECT_WINDOW_DAYS } from './threading.js';

/** What analysis adds to a message. Later issues fill kind, sentiment and keywords. */
export interface Analysis {
  language: string | null;
  kind?: string | undefined;
  sentiment?: number | null | undefined;
  keywords?: string[] | undefined;
  /** Added to the message's flags (e.g. a detected auto-reply). */
  flags?: MessageFlag[] | undefined;
}

export type AnalyzeHook = (message: InboundMessage) => Analysis | Promise<Analysis>;

export const detectLanguageOnly: AnalyzeHook = (m) => ({ language: detectLanguage(`${m.subject ?? ''}\n${m.text}`) });

export interface CapturePipelineOptions extends MatchOptions {
  analyze?: AnalyzeHook | undefined;
  subjectWindowDays?: number | undefined;
}

export interface CapturePipeline {
  /** Captures in a transaction of its own. */
  capture: Capture;
  /** Captures inside a transaction the caller holds (a batch plus the caller's own writes). */
  captureIn(tx: CaptureTx, message: InboundMessage): Promise<CaptureResult>;
}

const CHANNEL = /^[a-z][a-z0-9_-]{0,31}$/;
const isNoise = (f: string) => (noiseFlags as readonly string[]).includes(f);

/** Throws a `validation` error listing every field a channel got wrong. */
export function validateInboundMessage(m: InboundMessage): void {
  const issues: FieldIssue[] = [];
  if (typeof m.channel !== 'string' || !CHANNEL.test(m.channel)) issues.push({ field: 'channel', message: 'a lower-case channel name is required' });
  if (typeof m.externalId !== 'string' || !m.externalId.trim()) issues.push({ field: 'externalId', message: 'an external id is required' });
  else if (m.externalId.length > 998) issues.push({ field: 'externalId', message: 'longer than 998 characters' });
  if (!(m.occurredAt instanceof Date) || Number.isNaN(m.occurredAt.getTime())) issues.push({ field: 'occurredAt', message: 'a valid date is required' });
  if (typeof m.text !== 'string') issues.push({ field: 'text', message: 'text must be a string' });
  if (!m.from || typeof m.from !== 'object') issues.push({ field: 'from', message: 'a sender is required' });
  if (!Array.isArray(m.to)) issues.push({ field: 'to', message: 'recipients must be a list' });
  if (!m.threadHints || typeof m.threadHints !== 'object') issues.push({ field: 'threadHints', message: 'threadHints must be an object' });
  if (!Array.isArray(m.attachments)) issues.push({ field: 'attachments', message: 'attachments must be a list' });
  if (!Array.isArray(m.flags)) issues.push({ field: 'flags', message: 'flags must be a list' });
  if (issues.length > 0) throw validationError(`invalid message: ${issues.map((i) => `${i.field} (${i.message})`).join(', ')}`, issues);
}

export function createCapturePipeline(ports: CapturePorts, options: CapturePipelineOptions): CapturePipeline {
  const analyze = options.analyze ?? detectLanguageOnly;
  const windowDays = options.subjectWindowDays ?? SUBJECT_WINDOW_DAYS;

  async function captureIn(tx: CaptureTx, msg: InboundMessage): Promise<CaptureResult> {
    validateInboundMessage(msg);
    const externalId = msg.externalId.trim();
    const message = externalId === msg.externalId ? msg : { ...msg, externalId };

    const seen = await tx.findCommunication(message.channel, externalId);
    if (seen) return duplicateResult(seen);
    await tx.lock(`communication:${message.channel}:${externalId}`);
    const seenLocked = await tx.findCommunication(message.channel, externalId);
    if (seenLocked) return duplicateResult(seenLocked);

    // Match.
    const { identities, domains } = lookupsFor(message, options);
    // One after the other: a transaction is one connection, which runs one query at a time anyway.
    const holders = await tx.findIdentityHolders(identities);
    const companies = await tx.findCompaniesByDomain(domains);
    const staff = await tx.findStaff(identities);
    const hint = await checkedHint(tx, message);
    const decision = matchMessage(message, { holders, companies, staff, hint }, options);
    const match = { ...decision.match };

    // Analyze (before creating anything: an auto-reply must not create a customer).
    const analysis = await analyze(message);
    const flags = [...new Set([...message.flags, ...(analysis.flags ?? [])])];
    const noise = flags.some(isNoise);

    if (!noise && decision.create && decision.contact) {
      // Two messages from one new person at once must create one customer: lock its identities.
      for (const id of [...decision.contactIdentities].sort((a, b) => `${a.kind}:${a.value}`.localeCompare(`${b.kind}:${b.value}`))) {
        await tx.lock(`identity:${id.kind}:${id.value}`);
      }
      const [holder] = await tx.findIdentityHolders(decision.contactIdentities);
      if (holder) {
        Object.assign(match, { rule: `identity:${holder.kind}`, confidence: 1, customerId: holder.customerId, companyId: holder.companyId });
      } else {
        match.customerId = await tx.createContact({ name: decision.create.name, companyId: decision.create.companyId, identities: decision.contactIdentities });
        match.createdCustomer = true;
      }
    }

    if (!noise && match.customerId) {
      // Hold the customer until commit, so a merge cannot move it away between matching and storing;
      // if one just did, follow it to the customer it was merged into.
      const live = await tx.holdCustomer(match.customerId);
      if (live && live.id !== match.customerId) {
        Object.assign(match, { customerId: live.id, companyId: live.companyId });
      } else if (live) {
        match.companyId ??= live.companyId;
      } else {
        Object.assign(match, { rule: 'unmatched', confidence: 0, customerId: null });
      }
    }
    const customerId = noise ? null : match.customerId;
    const companyId = noise ? null : match.companyId;
    const kind = analysis.kind ?? message.kindHint ?? 'message';

    // Thread.
    const thread = noise ? null : await findOrCreateThread(tx, message, customerId, kind);

    // Store.
    const record: NewCommunication = {
      channel: message.channel,
      externalId,
      direction: decision.direction,
      kind,
      threadId: thread?.id ?? null,
      customerId,
      companyId,
      subject: message.subject ?? null,
      text: message.text,
      fullText: message.fullText ?? null,
      participants: participantsOf(message),
      attachments: message.attachments,
      occurredAt: message.occurredAt,
      language: analysis.language,
      flags,
      keywords: analysis.keywords ?? [],
      sentiment: analysis.sentiment ?? null,
      match: noise ? { rule: match.rule, confidence: match.confidence, customerId: match.customerId, noise: true } : { rule: match.rule, confidence: match.confidence },
      rawRef: message.rawRef ?? null,
      searchText: searchTextOf(message.subject, message.text),
    };
    const stored = await tx.insertCommunication(record);
    if (!stored.created) {
      const existing = await tx.findCommunication(message.channel, externalId);
      if (existing) return duplicateResult(existing);
    }

    const queue = !noise && decision.direction !== 'internal' && !customerId && decision.review !== null;
    if (queue) {
      await tx.enqueueReview({
        communicationId: stored.id,
        reason: decision.review!,
        contact: decision.contact,
        companyId: match.companyId,
        candidates: match.candidates ?? [],
      });
    }
    return {
      id: stored.id,
      status: 'created',
      customerId,
      threadId: thread?.id ?? null,
      direction: decision.direction,
      match,
      queuedForReview: queue,
      noise,
    };
  }

  async function findOrCreateThread(tx: CaptureTx, message: InboundMessage, customerId: string | null, kind: string): Promise<ThreadRef> {
    const plan = planThread(message, windowDays);
    let found: ThreadRef | null = null;
    for (const step of plan.steps) {
      if (step.by === 'key') found = await tx.findThreadByKey(message.channel, step.key);
      else if (step.by === 'references') found = await tx.findThreadByMessageIds(message.channel, step.messageIds);
      else if (customerId) found = await tx.findThreadBySubject(message.channel, customerId, step.normalizedSubject, step.window);
      if (found) break;
    }
    if (found) {
      await tx.touchThread(found.id, message.occurredAt, customerId);
      return { id: found.id, customerId: found.customerId ?? customerId };
    }
    return tx.upsertThread({
      channel: message.channel,
      threadKey: plan.newThreadKey,
      customerId,
      subject: message.subject ? stripSubjectPrefixes(message.subject) || null : null,
      normalizedSubject: plan.normalizedSubject,
      kind,
      occurredAt: message.occurredAt,
    });
  }

  return {
    captureIn,
    capture: (message) => ports.transaction((tx) => captureIn(tx, message)),
  };
}

async function checkedHint(tx: CaptureTx, m: InboundMessage): Promise<{ customerId: string | null; companyId: string | null } | null> {
  const h = m.customerHint;
  if (!h || (!h.customerId && !h.companyId)) return null;
  if (h.customerId) {
    const c = await tx.holdCustomer(h.customerId); // follows a merge
    if (c) return { customerId: c.id, companyId: c.companyId };
  }
  const company = h.companyId ? await tx.findCompany(h.companyId) : null;
  return company ? { customerId: null, companyId: company.id } : null;
}

function duplicateResult(c: ExistingCommunication): CaptureResult {
  return {
    id: c.id,
    status: 'duplicate',
    customerId: c.customerId,
    threadId: c.threadId,
    direction: c.direction,
    match: { rule: c.match?.rule ?? 'unmatched', confidence: c.match?.confidence ?? 0, customerId: c.customerId, companyId: c.companyId },
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
