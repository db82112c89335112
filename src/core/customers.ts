// What a customer is on input, and how raw input (API body, CSV row) becomes normalized identities.
// Validation problems are reported per field with a reason, so an importer can say which row and why.
import { emailMatchKey, normalizeDomain, normalizeEmail } from './email-address.js';
import { validationError, type FieldIssue } from './errors.js';
import { isFreeMailDomain } from './free-mail.js';
import { normalizePhone, phoneHint } from './phone-number.js';

export interface CustomerInput {
  name?: string | null | undefined;
  emails?: string[] | undefined;
  phones?: string[] | undefined;
  slackUsers?: string[] | undefined;
  externalId?: string | null | undefined;
  company?: string | null | undefined;
  domains?: string[] | undefined;
  tags?: string[] | undefined;
  owner?: string | null | undefined;
  attributes?: Record<string, unknown> | undefined;
}

export type IdentityKind = 'email' | 'phone' | 'slack_user' | 'external_id';

export interface NormalizedIdentity {
  kind: IdentityKind;
  /** The match key, unique per kind (Gmail-folded email, E.164 phone, …). */
  value: string;
  /** As the customer writes it (lower-cased email, E.164 phone). */
  display: string;
}

export interface NormalizedCustomer {
  name: string;
  identities: NormalizedIdentity[];
  company: { name: string; domains: string[] } | null;
  tags: string[];
  owner: string | null;
  attributes: Record<string, unknown>;
  /** Things accepted with a caveat, e.g. a free-mail domain refused as a company domain. */
  warnings: string[];
}

export interface NormalizeOptions {
  defaultRegion: string;
  /** false for partial updates (PATCH): a missing name is fine. */
  requireName?: boolean;
}

export function identityFor(kind: IdentityKind, raw: string, defaultRegion: string): NormalizedIdentity | null {
  switch (kind) {
    case 'email': {
      const display = normalizeEmail(raw);
      const value = emailMatchKey(raw);
      return display && value ? { kind, value, display } : null;
    }
    case 'phone': {
      const e164 = normalizePhone(raw, defaultRegion);
      return e164 ? { kind, value: e164, display: e164 } : null;
    }
    case 'slack_user': {
      const id = raw.trim().toUpperCase();
      return /^[UW][A-Z0-9]{2,}$/.test(id) ? { kind, value: id, display: id } : null;
    }
    case 'external_id': {
      const id = raw.trim();
      return id ? { kind, value: id, display: id } : null;
    }
  }
}

const clean = (xs: string[] | undefined) => [...new Set((xs ?? []).map((x) => x.trim()).filter(Boolean))];

/** Validates and normalizes; throws a `validation` RapportError listing every bad field. */
export function normalizeCustomer(input: CustomerInput, opts: NormalizeOptions): NormalizedCustomer {
  const issues: FieldIssue[] = [];
  const warnings: string[] = [];
  const name = input.name?.trim() ?? '';
  if (!name && opts.requireName !== false) issues.push({ field: 'name', message: 'missing name' });

  const identities: NormalizedIdentity[] = [];
  const add = (kind: IdentityKind, field: string, raws: string[], reason: string) => {
    for (const raw of raws) {
      const id = identityFor(kind, raw, opts.defaultRegion);
      const hint = !id && kind === 'phone' ? phoneHint(raw, opts.defaultRegion) : '';
      if (!id) issues.push({ field, message: `${reason}: ${JSON.stringify(raw)}${hint ? ` (${hint})` : ''}` });
      else if (!identities.some((x) => x.kind === id.kind && x.value === id.value)) identities.push(id);
    }
  };
  add('email', 'emails', clean(input.emails), 'invalid email');
  add('phone', 'phones', clean(input.phones), 'unparseable phone');
  add('slack_user', 'slackUsers', clean(input.slackUsers), 'invalid Slack user id');
  if (input.externalId?.trim()) add('external_id', 'externalId', [input.externalId], 'invalid external id');

  const domains: string[] = [];
  for (const raw of clean(input.domains)) {
    const d = normalizeDomain(raw);
    if (!d) issues.push({ field: 'domains', message: `invalid domain: ${JSON.stringify(raw)}` });
    else if (isFreeMailDomain(d)) warnings.push(`${d} is a free-mail provider and was not used as a company domain`);
    else if (!domains.includes(d)) domains.push(d);
  }
  const companyName = input.company?.trim() ?? '';
  if (!companyName && domains.length > 0) issues.push({ field: 'company', message: 'domains given without a company' });

  if (issues.length > 0) throw validationError(issues.map((i) => i.message).join('; '), issues);
  return {
    name,
    identities,
    company: companyName ? { name: companyName, domains } : null,
    tags: clean(input.tags),
    owner: input.owner?.trim() || null,
    attributes: input.attributes ?? {},
    warnings,
  };
}
