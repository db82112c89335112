// A raw RFC 822 message → InboundMessage. Used by the IMAP adapter, the webhook raw-email preset and
// `rapport ingest eml`. A broken message never throws: it comes back flagged `parse_error` with what
// could be read. Only input that is not a mail message at all is rejected (RapportError 'validation').
import type { HeaderValue } from 'mailparser';
import { normalizeEmail } from '../core/email-address.js';
import { RapportError } from '../core/errors.js';
import { inboundLimits } from '../core/inbound-check.js';
import type { ContactRef, Direction, InboundMessage, MessageFlag } from '../core/inbound-message.js';
import { cleanText } from './clean-text.js';
import { detectForward } from './detect-forward.js';
import { canonicalMessageId, contentId, messageIdList } from './message-id.js';
import { noiseFlagsOf } from './noise-flags.js';
import { repairRawHeaders } from './raw-header-charset.js';
import { addressesOf, readMime, type MimeContent } from './read-mime.js';
import { salvageMessage } from './salvage-message.js';

export interface ParseEmailOptions {
  /** What the mailbox folder says (the Sent folder → 'outbound'). */
  direction?: Direction | undefined;
  /** Our own addresses: mail from them is outbound unless `direction` says otherwise. */
  ownAddresses?: Iterable<string> | undefined;
  /** Bytes parsed at most; the rest is dropped and the message flagged `truncated`. Default 64 MiB. */
  maxBytes?: number | undefined;
  /** Characters kept of the new part (`text`); default 100,000. `fullText` keeps 10× that. */
  maxTextChars?: number | undefined;
  /** When the message arrived (IMAP INTERNALDATE), used when it has no valid Date header. */
  receivedAt?: Date | undefined;
}

export const defaultMaxBytes = 64 * 1024 * 1024;
export const defaultMaxTextChars = 100_000;
const forwardScanChars = 200_000;

const headerEnd = /\r?\n\r?\n/;
/** At least one header line the way RFC 5322 writes them, near the start. */
const looksLikeHeader = /^(?:[!-9;-~]+:[^\r\n]*\r?\n)+/;

export async function parseEmail(input: Buffer | string, opts: ParseEmailOptions = {}): Promise<InboundMessage> {
  let raw = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const flags: MessageFlag[] = [];
  const maxBytes = opts.maxBytes ?? defaultMaxBytes;
  if (raw.length > maxBytes) {
    raw = raw.subarray(0, maxBytes);
    flags.push('truncated');
  }
  // Files saved from mbox mailboxes (Thunderbird, mutt, Apple Mail exports) start with a
  // "From sender date" separator line that is not a header: skip it.
  if (raw.subarray(0, 5).toString('latin1') === 'From ') {
    const eol = raw.indexOf(10);
    raw = eol === -1 ? Buffer.alloc(0) : raw.subarray(eol + 1);
  }
  const head = raw.subarray(0, 64 * 1024).toString('latin1').replace(/^\uFEFF|^(?:\r?\n)+/, '');
  if (raw.length === 0 || !looksLikeHeader.test(head)) {
    throw new RapportError('validation', 'not an email message: no RFC 822 header at the start', { reason: 'no_headers' });
  }

  const source = repairRawHeaders(raw);
  let mime: MimeContent;
  try {
    mime = await readMime(source);
    if (structureBroken(mime, source)) {
      flags.push('parse_error');
      mime = { ...mime, ...salvageBody(source, mime) };
    }
  } catch {
    flags.push('parse_error');
    mime = await salvageMessage(source);
  }
  return buildMessage(raw, mime, flags, opts);
}

/** A multipart message whose boundary never appears: mailparser then finds no body at all. */
function structureBroken(mime: MimeContent, raw: Buffer): boolean {
  const ct = mime.parsed.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (!ct?.value?.toLowerCase().startsWith('multipart/')) return false;
  const boundary = ct.params?.boundary;
  return !boundary || !raw.includes(`--${boundary}`);
}

function salvageBody(raw: Buffer, mime: MimeContent): Pick<MimeContent, 'text'> {
  const s = raw.toString('utf8');
  const m = headerEnd.exec(s);
  return { text: mime.text ?? (m ? s.slice(m.index + m[0].length) : '') };
}

function toContact(a: { address?: string | undefined; name?: string | undefined }): ContactRef | null {
  const email = a.address ? normalizeEmail(a.address) : null;
  const name = a.name?.trim() || undefined;
  if (!email && !name) return null;
  return { email: email ?? undefined, name };
}

function contacts(value: HeaderValue | undefined): ContactRef[] {
  return addressesOf(value).map(toContact).filter((c): c is ContactRef => c !== null && c.email !== undefined);
}

/** A date PostgreSQL and every client can hold (the InboundMessage boundary's years). */
function usable(d: Date | null): d is Date {
  if (!d || Number.isNaN(d.getTime())) return false;
  const year = d.getUTCFullYear();
  return year >= inboundLimits.minYear && year <= inboundLimits.maxYear;
}

/** When the message was written; a Date header that cannot be read or is out of range gives the
 *  received time instead, and the flag `bad_date` (mail is kept, never refused for its date). */
function dateOf(mime: MimeContent, fallback: Date | undefined, flags: MessageFlag[]): Date {
  // mailparser turns an unreadable Date into "now"; read the header ourselves to know.
  const header = mime.raw.get('date')?.[0];
  const d = header ? new Date(header.replace(/\s*\([^)]*\)\s*$/, '')) : null;
  if (usable(d)) return d;
  if (header) flags.push('bad_date');
  // The newest Received line carries the date our server took it in.
  const received = mime.raw.get('received')?.[0];
  const stamp = received ? new Date(received.slice(received.lastIndexOf(';') + 1).trim()) : null;
  if (usable(stamp)) return stamp;
  return fallback ?? new Date();
}

function cap(text: string, max: number, flags: MessageFlag[]): string {
  if (text.length <= max) return text;
  if (!flags.includes('truncated')) flags.push('truncated');
  return text.slice(0, max);
}

function buildMessage(raw: Buffer, mime: MimeContent, flags: MessageFlag[], opts: ParseEmailOptions): InboundMessage {
  const subjectValue = mime.parsed.get('subject');
  const subject = typeof subjectValue === 'string' ? subjectValue.trim() : undefined;
  const fromList = addressesOf(mime.parsed.get('from'));
  const from = (fromList[0] && toContact(fromList[0])) ?? {};
  const ct = mime.parsed.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;

  const noise = noiseFlagsOf({
    headers: mime.raw,
    fromEmail: from.email,
    subject,
    contentType: ct?.value,
    reportType: ct?.params?.['report-type'],
  });

  const maxText = opts.maxTextChars ?? defaultMaxTextChars;
  const body = cleanText({ text: mime.text, html: mime.html }, maxText);
  // A forward's header block is near the top; a huge body is not searched to its end.
  const forward = detectForward(body.fullText.slice(0, forwardScanChars), subject);

  const own = new Set([...(opts.ownAddresses ?? [])].map((a) => normalizeEmail(a)).filter(Boolean));
  const directionHint = opts.direction ?? (from.email && own.has(from.email) ? 'outbound' : undefined);

  const allFlags: MessageFlag[] = [...noise, ...flags];
  if (body.truncated && !allFlags.includes('truncated')) allFlags.push('truncated');
  if (forward.forwarded) allFlags.push('forwarded');
  // In a forward the "quoted" part is the content (the customer's own words): keep all of it.
  const text = cap(forward.forwarded ? body.fullText : body.text, maxText, allFlags);
  const fullText = cap(body.fullText, maxText * 10, allFlags);
  // HTML is kept for display only while it is reasonably small; the text holds the content.
  let html = mime.html;
  if (html !== undefined && html.length > maxText * 10) {
    html = undefined;
    if (!allFlags.includes('truncated')) allFlags.push('truncated');
  }

  const inReplyTo = messageIdList(mime.raw.get('in-reply-to')?.[0])[0];
  const references = messageIdList(mime.raw.get('references')?.join(' '));

  return {
    channel: 'email',
    externalId: canonicalMessageId(mime.raw.get('message-id')?.[0]) ?? contentId(raw),
    threadHints: {
      inReplyTo,
      references: references.length > 0 ? references : undefined,
    },
    directionHint,
    from,
    to: contacts(mime.parsed.get('to')),
    cc: contacts(mime.parsed.get('cc')),
    subject,
    text,
    fullText: fullText !== text ? fullText : undefined,
    html,
    attachments: mime.attachments,
    occurredAt: dateOf(mime, opts.receivedAt, allFlags),
    flags: allFlags,
    forwardedFrom: forward.from,
  };
}
