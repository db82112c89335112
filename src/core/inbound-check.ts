// The InboundMessage boundary: every channel's message passes here before it is accepted into the
// inbox. Structure is validated (a `validation` error names every bad field); content is made
// storable instead of refused: NUL bytes and lone surrogates are cleaned (flag `sanitized`), and
// every field is bounded (flag `truncated`) so no message can make a write, an index entry or
// analysis unbounded. Keys too long for an index are replaced by their hash, the same way every
// time, so dedupe and threading still work on them.
import { createHash } from 'node:crypto';
import { cleanText } from './clean-text.js';
import { validationError, type FieldIssue } from './errors.js';
import type { AttachmentMeta, ContactRef, InboundMessage, MessageFlag } from './inbound-message.js';

/** The bounds every accepted message stays within (README "Reliability and security"). */
export const inboundLimits = {
  subjectChars: 998,
  textChars: 100_000,
  fullTextChars: 1_000_000,
  nameChars: 200,
  /** Longer emails, phones, Slack ids and external ids of a contact are dropped (no such address exists). */
  contactValueChars: 320,
  recipients: 500,
  attachments: 1_000,
  references: 100,
  flags: 32,
  /** Dedupe and thread keys longer than this (bytes) are stored as `sha256:<hex>`. */
  keyBytes: 500,
  /** Dates outside these years are refused: PostgreSQL and every client agree on them. */
  minYear: 1900,
  maxYear: 9999,
} as const;

const CHANNEL = /^[a-z][a-z0-9_-]{0,31}$/;

/** A key as it can be indexed: itself, or its SHA-256 when over `keyBytes`. */
export function boundedKey(key: string): string {
  return Buffer.byteLength(key, 'utf8') <= inboundLimits.keyBytes ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** Throws a `validation` error listing every structural problem of a message. */
export function validateInboundMessage(m: InboundMessage): void {
  const issues: FieldIssue[] = [];
  if (!m || typeof m !== 'object') throw validationError('invalid message: not an object', [{ field: 'message', message: 'an object is required' }]);
  if (typeof m.channel !== 'string' || !CHANNEL.test(m.channel)) issues.push({ field: 'channel', message: 'a lower-case channel name is required' });
  if (typeof m.externalId !== 'string' || !m.externalId.trim()) issues.push({ field: 'externalId', message: 'an external id is required' });
  if (!(m.occurredAt instanceof Date) || Number.isNaN(m.occurredAt.getTime())) issues.push({ field: 'occurredAt', message: 'a valid date is required' });
  else {
    const year = m.occurredAt.getUTCFullYear();
    if (year < inboundLimits.minYear || year > inboundLimits.maxYear) {
      issues.push({ field: 'occurredAt', message: `the year must be between ${inboundLimits.minYear} and ${inboundLimits.maxYear}` });
    }
  }
  if (typeof m.text !== 'string') issues.push({ field: 'text', message: 'text must be a string' });
  if (!m.from || typeof m.from !== 'object') issues.push({ field: 'from', message: 'a sender is required' });
  if (!Array.isArray(m.to)) issues.push({ field: 'to', message: 'recipients must be a list' });
  if (m.cc !== undefined && !Array.isArray(m.cc)) issues.push({ field: 'cc', message: 'cc must be a list' });
  if (!m.threadHints || typeof m.threadHints !== 'object') issues.push({ field: 'threadHints', message: 'threadHints must be an object' });
  if (!Array.isArray(m.attachments)) issues.push({ field: 'attachments', message: 'attachments must be a list' });
  if (!Array.isArray(m.flags)) issues.push({ field: 'flags', message: 'flags must be a list' });
  if (issues.length > 0) throw validationError(`invalid message: ${issues.map((i) => `${i.field} (${i.message})`).join(', ')}`, issues);
}

/** Validates, cleans and bounds a message; returns the message as it will be stored. */
export function checkInboundMessage(m: InboundMessage): InboundMessage {
  validateInboundMessage(m);
  const flags = new Set<MessageFlag>(m.flags.filter((f): f is string => typeof f === 'string').map((f) => f.slice(0, 64)));
  const s = (value: string | undefined, max: number): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') return undefined;
    const c = cleanText(value);
    if (c.changed) flags.add('sanitized');
    if (c.text.length <= max) return c.text;
    flags.add('truncated');
    return c.text.slice(0, max);
  };
  const key = (value: string | undefined): string | undefined => {
    const v = s(value, 10_000)?.trim();
    return v ? boundedKey(v) : undefined;
  };
  const contact = (c: ContactRef | undefined): ContactRef => {
    const out: ContactRef = {};
    if (!c || typeof c !== 'object') return out;
    const bounded = (v: unknown): string | undefined => {
      const x = typeof v === 'string' ? s(v, 10_000) : undefined;
      if (x === undefined || x.length <= inboundLimits.contactValueChars) return x;
      flags.add('truncated');
      return undefined;
    };
    const email = bounded(c.email);
    const phone = bounded(c.phone);
    const slackUser = bounded(c.slackUser);
    const externalId = bounded(c.externalId);
    const name = typeof c.name === 'string' ? s(c.name, inboundLimits.nameChars) : undefined;
    if (email) out.email = email;
    if (phone) out.phone = phone;
    if (slackUser) out.slackUser = slackUser;
    if (externalId) out.externalId = externalId;
    if (name) out.name = name;
    return out;
  };
  const list = <T, U>(items: T[] | undefined, max: number, f: (x: T) => U): U[] => {
    const all = items ?? [];
    if (all.length > max) flags.add('truncated');
    return all.slice(0, max).map(f);
  };
  const attachment = (a: AttachmentMeta): AttachmentMeta => ({
    name: typeof a?.name === 'string' ? (s(a.name, 255) ?? null) : null,
    type: (typeof a?.type === 'string' ? s(a.type, 255) : undefined) ?? 'application/octet-stream',
    size: Number.isFinite(a?.size) && a.size >= 0 ? Math.floor(a.size) : 0,
    ...(typeof a?.sha256 === 'string' ? { sha256: a.sha256.slice(0, 64) } : {}),
  });

  const externalId = key(m.externalId);
  if (!externalId) throw validationError('invalid message: externalId (an external id is required)', [{ field: 'externalId', message: 'an external id is required' }]);
  const hints = m.threadHints;
  const references = list(hints.references?.filter((r) => typeof r === 'string'), inboundLimits.references, key).filter((r): r is string => Boolean(r));
  const out: InboundMessage = {
    channel: m.channel,
    externalId,
    threadHints: {
      ...(key(hints.key) ? { key: key(hints.key) } : {}),
      ...(key(hints.inReplyTo) ? { inReplyTo: key(hints.inReplyTo) } : {}),
      ...(references.length ? { references } : {}),
    },
    from: contact(m.from),
    to: list(m.to, inboundLimits.recipients, contact),
    text: s(m.text, inboundLimits.textChars) ?? '',
    attachments: list(m.attachments, inboundLimits.attachments, attachment),
    occurredAt: m.occurredAt,
    flags: [],
  };
  if (m.directionHint) out.directionHint = m.directionHint;
  if (m.cc) out.cc = list(m.cc, inboundLimits.recipients, contact);
  const subject = s(m.subject, inboundLimits.subjectChars);
  if (subject !== undefined) out.subject = subject;
  const fullText = s(m.fullText, inboundLimits.fullTextChars);
  if (fullText !== undefined) out.fullText = fullText;
  if (m.forwardedFrom) out.forwardedFrom = contact(m.forwardedFrom);
  const kindHint = s(m.kindHint, 32);
  if (kindHint) out.kindHint = kindHint;
  if (m.customerHint && (m.customerHint.customerId || m.customerHint.companyId)) {
    out.customerHint = {
      ...(typeof m.customerHint.customerId === 'string' ? { customerId: m.customerHint.customerId.slice(0, 64) } : {}),
      ...(typeof m.customerHint.companyId === 'string' ? { companyId: m.customerHint.companyId.slice(0, 64) } : {}),
    };
  }
  const rawRef = s(m.rawRef, 2_000);
  if (rawRef) out.rawRef = rawRef;
  if (flags.size > inboundLimits.flags) flags.add('truncated');
  out.flags = [...flags].slice(0, inboundLimits.flags);
  return out;
}
