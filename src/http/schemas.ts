// Shapes of the API's bodies and answers, as zod schemas: they validate input, serialize output and
// become /openapi.json (named ones appear under components.schemas).
import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../store/pagination.js';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().describe('stable machine-readable code: validation, unauthorized, forbidden, not_found, conflict, payload_too_large, …'),
      message: z.string(),
      details: z.unknown().optional().describe('e.g. { fields: [{ field, message }] } for validation errors'),
    }),
  })
  .meta({ id: 'Error' });

const statusText: Record<number, string> = {
  400: 'Invalid input (details.fields lists each bad field)',
  401: 'Missing, unknown or revoked API token',
  403: 'The token lacks the scope this route needs',
  404: 'No such resource',
  409: 'Conflicts with existing data',
  413: 'Request body too large',
  415: 'Unsupported content type',
  500: 'Internal error (code internal); nothing was written',
  503: 'The database is unavailable (code unavailable, header Retry-After); retry',
  429: 'Too many requests for this token, source or workspace: retry after Retry-After seconds',
};

/** What any route may answer besides its own errors: an internal error, or the database being down. */
export const alwaysPossible = [500, 503];

/** Error responses for a route's OpenAPI entry (serialized with the Error schema); 500 and 503 are always added. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(
    [...new Set([...statuses, ...alwaysPossible])].map((s) => [s, { description: statusText[s] ?? 'Error', content: { 'application/json': { schema: ErrorSchema } } }]),
  ) as Record<number, { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } }>;
}

export const IdParams = z.object({ id: z.string().describe('the resource id (UUID)') });

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE).describe(`page size, 1–${MAX_PAGE_SIZE}`),
  cursor: z.string().min(1).max(500).optional().describe('next_cursor from the previous page'),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    next_cursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last page'),
  });
}

export const CompanyRef = z.object({ id: z.string(), name: z.string(), domains: z.array(z.string()) });

export const CustomerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    company: CompanyRef.nullable(),
    owner: z.string().nullable(),
    tags: z.array(z.string()),
    attributes: z.record(z.string(), z.unknown()),
    emails: z.array(z.string()),
    phones: z.array(z.string()).describe('E.164'),
    slackUsers: z.array(z.string()),
    externalId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Customer' });

export const CustomerWritten = CustomerSchema.extend({
  warnings: z.array(z.string()).describe('things accepted with a caveat, e.g. a free-mail domain not used as a company domain'),
});

const strings = (what: string) => z.array(z.string().max(320)).max(100).describe(what);

export const CustomerCreateBody = z
  .object({
    name: z.string().min(1).max(500),
    emails: strings('email addresses (lower-cased; Gmail dots and +tags match the same person)').optional(),
    phones: strings('phone numbers; without a country code they are read in RAPPORT_DEFAULT_REGION').optional(),
    slackUsers: strings('Slack user ids (U…/W…)').optional(),
    externalId: z.string().max(200).nullable().optional().describe('your id for this customer (unique)'),
    company: z.string().max(500).nullable().optional().describe('company name; created when new'),
    domains: strings("the company's email domains (free-mail domains are refused with a warning)").optional(),
    tags: strings('tags').optional(),
    owner: z.string().max(320).nullable().optional(),
    attributes: z.record(z.string(), z.unknown()).optional().describe('free-form JSON attributes'),
  })
  .strict()
  .meta({ id: 'CustomerCreate' });

export const CustomerPatchBody = CustomerCreateBody.partial()
  .extend({
    attributes: z.record(z.string(), z.unknown()).optional().describe('merged key by key; a null value removes the key'),
  })
  .strict()
  .meta({ id: 'CustomerPatch', description: 'Fields given replace the stored ones (lists replace whole lists; null clears).' });

export const CommunicationSchema = z
  .object({
    id: z.string(),
    channel: z.string(),
    direction: z.enum(['inbound', 'outbound', 'internal']),
    kind: z.string(),
    customerId: z.string().nullable(),
    companyId: z.string().nullable(),
    threadId: z.string().nullable(),
    subject: z.string().nullable(),
    text: z.string().describe('the new part of the message (quotes and signatures removed)'),
    participants: z.array(
      z.object({
        role: z.enum(['from', 'to', 'cc', 'bcc']),
        email: z.string().optional(),
        phone: z.string().optional(),
        slackUser: z.string().optional(),
        name: z.string().optional(),
      }),
    ),
    attachments: z.array(z.object({ name: z.string().nullable(), type: z.string(), size: z.number(), sha256: z.string().optional() })),
    occurredAt: z.string(),
    language: z.string().nullable(),
    flags: z.array(z.string()),
    keywords: z.array(z.string()),
    sentiment: z.number().nullable(),
    match: z.object({ rule: z.string(), confidence: z.number() }).nullable(),
  })
  .meta({ id: 'Communication' });

export const SearchHitSchema = CommunicationSchema.extend({ rank: z.number().describe('relevance; higher is better') }).meta({ id: 'SearchHit' });

export const CompanySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    domains: z.array(z.string()),
    customerCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Company' });

export const OrderSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    externalId: z.string(),
    amount: z.string().describe('decimal as text, e.g. "1299.00"'),
    currency: z.string().describe('ISO 4217 code'),
    status: z.string(),
    orderedAt: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Order' });

export const OrderCreateBody = z
  .object({
    customer: z.string().min(1).max(320).describe("the customer's id, email or external id"),
    externalId: z.string().trim().min(1).max(200).describe('your order id (unique)'),
    amount: z
      .union([z.number(), z.string()])
      .transform((v) => String(v).trim())
      .pipe(z.string().regex(/^-?\d{1,12}(\.\d{1,2})?$/, 'a decimal with at most 12 digits before and 2 after the point'))
      .describe('decimal amount, e.g. 1299.5 or "1299.50"'),
    currency: z
      .string()
      .trim()
      .transform((s) => s.toUpperCase())
      .pipe(z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code, e.g. CNY or USD')),
    status: z.string().trim().min(1).max(50).describe('e.g. paid, refunded, cancelled'),
    orderedAt: z.iso.datetime({ offset: true }).describe('ISO 8601 with time zone'),
  })
  .strict()
  .meta({ id: 'OrderCreate' });

export const TokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scope: z.enum(['read', 'write', 'admin']),
    prefix: z.string().describe('the first characters of the token, to tell tokens apart'),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'Token' });
