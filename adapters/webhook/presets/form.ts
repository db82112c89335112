// The `form` preset: a website contact form posted as it is (application/x-www-form-urlencoded, or
// a flat JSON object), so a form builder's "send to webhook" works without reshaping. Field names
// are matched case-insensitively, with `-` and spaces read as `_`:
//   email        ← email | e_mail | email_address | your_email
//   phone        ← phone | phone_number | telephone | tel | mobile
//   name         ← name | full_name | your_name, else first_name + last_name
//   subject      ← subject | topic
//   text         ← message | text | body | comments | comment | content | enquiry | inquiry | question
//   id           ← id | submission_id (else the Idempotency-Key, else a hash of the body)
//   occurred_at  ← submitted_at | created_at (ISO 8601), else the time of receipt
// Every other non-empty field ("company", "plan", …) is kept as a `field: value` line after the
// message, so nothing the visitor typed is lost. Fields starting with `_` and captcha tokens are
// dropped. The form needs a message and an email or phone (someone to answer).
import { TextDecoder } from 'node:util';
import { RapportError, validationError, type FieldIssue } from '../../../src/core/errors.js';
import { normalizeEmail } from '../../../src/core/email-address.js';
import type { InboundMessage } from '../../../src/core/inbound-message.js';
import {
  checkIdempotencyKey, externalIdOf, isJsonType, maxIdLength, mediaType, messageId, rawRefOf, type Delivery, type Mapping,
} from '../delivery.js';

const aliases = {
  email: ['email', 'e_mail', 'email_address', 'your_email'],
  phone: ['phone', 'phone_number', 'telephone', 'tel', 'mobile'],
  name: ['name', 'full_name', 'your_name'],
  firstName: ['first_name', 'firstname', 'given_name'],
  lastName: ['last_name', 'lastname', 'family_name', 'surname'],
  subject: ['subject', 'topic'],
  text: ['message', 'text', 'body', 'comments', 'comment', 'content', 'enquiry', 'inquiry', 'question'],
  id: ['id', 'submission_id'],
  occurredAt: ['submitted_at', 'created_at'],
} as const;
const known = new Set<string>(Object.values(aliases).flat());
const dropped = new Set(['g_recaptcha_response', 'h_captcha_response', 'cf_turnstile_response']);

type Fields = Map<string, { label: string; value: string }>;

function normalizeKey(key: string): string {
  return key.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** The form as ordered key → value (repeated keys, e.g. checkboxes, joined with ", "). */
export function readFormFields(delivery: Delivery): Fields {
  const type = mediaType(delivery.contentType);
  const pairs: [string, string][] = [];
  const issues: FieldIssue[] = [];
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    pairs.push(...readUrlEncoded(delivery.rawBody, charsetOf(delivery.contentType)));
  } else if (isJsonType(type)) {
    let body: unknown;
    try {
      body = JSON.parse(delivery.rawBody.toString('utf8'));
    } catch {
      throw validationError('the body is not valid JSON', [{ field: 'body', message: 'not valid JSON' }]);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw validationError('a form is a flat JSON object', [{ field: 'body', message: 'not a JSON object' }]);
    }
    for (const [k, v] of Object.entries(body)) {
      if (v === null || v === undefined) continue;
      if (Array.isArray(v) && v.every((x) => typeof x !== 'object')) pairs.push([k, v.join(', ')]);
      else if (typeof v === 'object') issues.push({ field: k, message: 'nested objects are not form fields (use the generic preset)' });
      else pairs.push([k, String(v)]);
    }
  } else {
    throw new RapportError('unsupported', `a form is posted as application/x-www-form-urlencoded or JSON, not ${type}`, { contentType: type });
  }
  if (issues.length) throw validationError('the form has fields it cannot use', issues);
  const fields: Fields = new Map();
  for (const [label, raw] of pairs) {
    const key = normalizeKey(label);
    const value = raw.trim();
    if (value === '' || key.startsWith('_') || dropped.has(key)) continue;
    const prev = fields.get(key);
    fields.set(key, prev ? { label: prev.label, value: `${prev.value}, ${value}` } : { label: label.trim(), value });
  }
  return fields;
}

function charsetOf(contentType: string | undefined): string {
  return /;\s*charset="?([^";\s]+)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase() ?? 'utf-8';
}

/** Form fields, percent-decoded as bytes and then read in the form's charset: Chinese sites still
 *  post GBK/GB18030 or Big5 forms (`charset=gbk`), which URLSearchParams would read as UTF-8. */
export function readUrlEncoded(body: Buffer, charset: string): [string, string][] {
  if (charset === 'utf-8' || charset === 'utf8') return [...new URLSearchParams(body.toString('utf8'))];
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    throw new RapportError('unsupported', `unknown form charset ${charset}`, { charset });
  }
  const decode = (part: string) => decoder.decode(Buffer.from(part.replace(/\+/g, ' ').replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1'));
  return body
    .toString('latin1')
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq === -1 ? [decode(pair), ''] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
    });
}

function pick(fields: Fields, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = fields.get(n)?.value;
    if (v) return v;
  }
  return undefined;
}

export const formMapping: Mapping = async (delivery) => {
  const fields = readFormFields(delivery);
  const email = pick(fields, aliases.email);
  const phone = pick(fields, aliases.phone);
  const message = pick(fields, aliases.text);
  const id = pick(fields, aliases.id);
  const submitted = pick(fields, aliases.occurredAt);
  const occurredAt = submitted ? new Date(submitted) : delivery.receivedAt;

  const issues: FieldIssue[] = [];
  if (!message) issues.push({ field: 'message', message: 'required (or text, body, comments)' });
  if (!email && !phone) issues.push({ field: 'email', message: 'an email or a phone is required' });
  if (email && normalizeEmail(email) === null) issues.push({ field: 'email', message: 'not an email address' });
  if (id && id.length > maxIdLength) issues.push({ field: 'id', message: `at most ${maxIdLength} characters` });
  if (Number.isNaN(occurredAt.getTime())) issues.push({ field: 'submitted_at', message: 'not an ISO 8601 date' });
  const keyIssue = checkIdempotencyKey(delivery);
  if (keyIssue) issues.push(keyIssue);
  if (issues.length) throw validationError('the form cannot be used', issues);

  const first = pick(fields, aliases.firstName);
  const last = pick(fields, aliases.lastName);
  const name = pick(fields, aliases.name) ?? ([first, last].filter(Boolean).join(' ') || undefined);
  const extra = [...fields.entries()]
    .filter(([key]) => !known.has(key))
    .map(([, f]) => `${f.label}: ${f.value}`);
  const text = extra.length ? `${message}\n\n${extra.join('\n')}` : message!;

  const result: InboundMessage = {
    channel: 'webhook',
    externalId: externalIdOf(delivery.source, messageId(id, delivery)),
    threadHints: {},
    directionHint: 'inbound',
    from: { email, phone, name },
    to: [],
    subject: pick(fields, aliases.subject),
    text,
    attachments: [],
    occurredAt,
    flags: [],
    rawRef: rawRefOf(delivery),
  };
  return result;
};
