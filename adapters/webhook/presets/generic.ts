// The `generic` preset: a JSON message in Rapport's own shape, for senders that can shape their
// payload (a help desk, a chat widget, a script).
//   { id, thread_id?, occurred_at?, direction?, from: { email?, phone?, name?, slack_user? },
//     to?, subject?, text, html? }
import { z } from 'zod';
import { validationError, type FieldIssue } from '../../../src/core/errors.js';
import { normalizeEmail } from '../../../src/core/email-address.js';
import { nestsDeeperThan, stripTags } from '../../../src/core/html-depth.js';
import type { ContactRef, InboundMessage } from '../../../src/core/inbound-message.js';
import { checkIdempotencyKey, externalIdOf, maxIdLength, messageId, parseJsonBody, rawRefOf, type Mapping } from '../delivery.js';

const idValue = z.union([z.string().trim().min(1).max(maxIdLength), z.number().int().nonnegative()]).transform(String);
const email = z
  .string()
  .max(320)
  .refine((s) => normalizeEmail(s) !== null, 'not an email address');

const contact = z
  .object({
    email: email.optional(),
    phone: z.string().trim().min(1).max(64).optional(),
    name: z.string().trim().max(300).optional(),
    slack_user: z.string().trim().min(1).max(64).optional(),
  })
  .refine((c) => Boolean(c.email || c.phone || c.slack_user || c.name), 'needs at least one of email, phone, slack_user, name');

export const genericPayloadSchema = z.object({
  id: idValue.optional(),
  thread_id: idValue.optional(),
  occurred_at: z
    .union([z.iso.datetime({ offset: true }), z.number().int().positive()])
    .optional(),
  direction: z.enum(['inbound', 'outbound', 'internal']).optional(),
  from: contact,
  to: z.array(z.union([email, contact])).max(500).optional(),
  subject: z.string().max(2000).optional(),
  text: z.string().max(1_000_000),
  html: z.string().optional(),
});

export type GenericPayload = z.infer<typeof genericPayloadSchema>;

export function zodFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', message: i.message }));
}

function contactRef(c: z.infer<typeof contact> | string): ContactRef {
  if (typeof c === 'string') return { email: c.trim() };
  return { email: c.email?.trim(), phone: c.phone, name: c.name || undefined, slackUser: c.slack_user };
}

function occurredAt(value: string | number | undefined, fallback: Date): Date {
  if (value === undefined) return fallback;
  return typeof value === 'number' ? new Date(value * 1000) : new Date(value);
}

export const genericMapping: Mapping = async (delivery) => {
  const body = parseJsonBody(delivery);
  const parsed = genericPayloadSchema.safeParse(body);
  const keyIssue = checkIdempotencyKey(delivery);
  if (!parsed.success || keyIssue) {
    const fields = [...(parsed.success ? [] : zodFieldIssues(parsed.error)), ...(keyIssue ? [keyIssue] : [])];
    throw validationError('the payload does not fit the generic webhook shape', fields);
  }
  const p = parsed.data;
  if (p.text.trim() === '' && !p.html) {
    throw validationError('the payload has no text', [{ field: 'text', message: 'empty (give text, or html)' }]);
  }
  const message: InboundMessage = {
    channel: 'webhook',
    externalId: externalIdOf(delivery.source, messageId(p.id, delivery)),
    threadHints: { key: p.thread_id === undefined ? undefined : externalIdOf(delivery.source, p.thread_id) },
    directionHint: p.direction,
    from: contactRef(p.from),
    to: (p.to ?? []).map(contactRef),
    subject: p.subject,
    text: p.text.trim() === '' && p.html ? await htmlText(p.html) : p.text,
    html: p.html,
    attachments: [],
    occurredAt: occurredAt(p.occurred_at, delivery.receivedAt),
    flags: [],
    rawRef: rawRefOf(delivery),
  };
  return message;
};

async function htmlText(html: string): Promise<string> {
  // Nesting deeper than html-to-text can walk is stripped of its tags instead (src/core/html-depth.ts).
  if (nestsDeeperThan(html)) return stripTags(html);
  const { convert } = await import('html-to-text');
  try {
    return convert(html, { wordwrap: false });
  } catch (e) {
    if (e instanceof RangeError) return stripTags(html);
    throw e;
  }
}
