// Who a message is about, decided from facts the pipeline looked up (pure: no I/O). Rules, in order:
// the channel's customer hint; exact identity (email with Gmail folding, E.164 phone, Slack user,
// external id); for a forward by our own people, the original sender; a company owning the sender's
// work domain (free-mail domains never count); otherwise unmatched or ambiguous. Our own people —
// RAPPORT_INTERNAL_DOMAINS and staff identities — are never customers: their messages are outbound
// (matched on the recipients) or internal.
import { identityFor, type NormalizedIdentity } from './customers.js';
import { emailDomain, normalizeEmail } from './email-address.js';
import { isFreeMailDomain } from './free-mail.js';
import type { ContactRef, Direction, InboundMessage, MatchResult } from './inbound-message.js';
import type { CompanyRef, IdentityHolder, IdentityKey, ReviewReason } from './ports.js';

export type AutoCreatePolicy = 'never' | 'company_domain' | 'always';

export interface MatchOptions {
  /** Our own email domains (lower-case); subdomains count too. */
  internalDomains: string[];
  /** Region for phone numbers without a country code. */
  defaultRegion: string;
  autoCreate: AutoCreatePolicy;
}

export interface MatchFacts {
  /** Customers holding any identity of the message's people. */
  holders: IdentityHolder[];
  /** Companies listing any of the message's (work) email domains. */
  companies: (CompanyRef & { domain: string })[];
  /** Which of the message's identities are known staff. */
  staff: IdentityKey[];
  /** The channel's hint, checked to exist (an unknown customer id is dropped by the pipeline). */
  hint?: { customerId: string | null; companyId: string | null } | null | undefined;
}

export interface MatchDecision {
  direction: Direction;
  match: MatchResult;
  /** The customer-side person: sender of inbound, recipient of outbound, original sender of a forward. */
  contact: ContactRef | null;
  contactIdentities: NormalizedIdentity[];
  /** Create a customer for `contact` under this company (the policy said so). */
  create: { companyId: string | null; name: string } | null;
  /** Why the message needs a person to look at it, or null. */
  review: ReviewReason | null;
}

// Confidence by rule: exact identities are certain (a phone less so: switchboards, shared lines);
// a forward's original sender is parsed from text; a company domain says "someone at", not who.
export const confidenceOf = {
  'identity:email': 1,
  'identity:slack_user': 1,
  'identity:external_id': 1,
  'identity:phone': 0.95,
  hint: 1,
  forwarded: 0.9,
  company_domain: 0.6,
  forwarded_company_domain: 0.5,
  staff: 1,
  ambiguous: 0,
  unmatched: 0,
} as const;

const keyOf = (k: IdentityKey) => `${k.kind}:${k.value}`;

/** The identities a contact can be matched on, strongest kind first. */
export function contactIdentities(c: ContactRef | undefined | null, defaultRegion: string): NormalizedIdentity[] {
  if (!c) return [];
  const out: NormalizedIdentity[] = [];
  const push = (id: NormalizedIdentity | null) => {
    if (id && !out.some((o) => o.kind === id.kind && o.value === id.value)) out.push(id);
  };
  if (c.email) push(identityFor('email', c.email, defaultRegion));
  if (c.externalId) push(identityFor('external_id', c.externalId, defaultRegion));
  if (c.slackUser) push(identityFor('slack_user', c.slackUser, defaultRegion));
  if (c.phone) push(identityFor('phone', c.phone, defaultRegion));
  return out;
}

function peopleOf(msg: InboundMessage): ContactRef[] {
  return [msg.from, ...msg.to, ...(msg.cc ?? []), ...(msg.forwardedFrom ? [msg.forwardedFrom] : [])];
}

/** What the pipeline must look up before calling matchMessage. */
export function lookupsFor(msg: InboundMessage, opts: Pick<MatchOptions, 'defaultRegion' | 'internalDomains'>): { identities: IdentityKey[]; domains: string[] } {
  const identities = new Map<string, IdentityKey>();
  const domains = new Set<string>();
  for (const person of peopleOf(msg)) {
    for (const id of contactIdentities(person, opts.defaultRegion)) identities.set(keyOf(id), { kind: id.kind, value: id.value });
    const d = workDomain(person, opts.internalDomains);
    if (d) domains.add(d);
  }
  return { identities: [...identities.values()], domains: [...domains] };
}

function domainOf(c: ContactRef): string | null {
  const email = c.email ? normalizeEmail(c.email) : null;
  return email ? emailDomain(email) : null;
}

function isInternalDomain(domain: string, internalDomains: string[]): boolean {
  return internalDomains.some((d) => domain === d || domain.endsWith(`.${d}`));
}

/** A domain that can identify a customer's company: not free mail, not ours. */
function workDomain(c: ContactRef, internalDomains: string[]): string | null {
  const d = domainOf(c);
  return d && !isFreeMailDomain(d) && !isInternalDomain(d, internalDomains) ? d : null;
}

/** True for our own people: an internal domain or a known staff identity. */
export function isOwnPerson(c: ContactRef | undefined | null, facts: Pick<MatchFacts, 'staff'>, opts: Pick<MatchOptions, 'defaultRegion' | 'internalDomains'>): boolean {
  if (!c) return false;
  const d = domainOf(c);
  if (d && isInternalDomain(d, opts.internalDomains)) return true;
  const staff = new Set(facts.staff.map(keyOf));
  return contactIdentities(c, opts.defaultRegion).some((id) => staff.has(keyOf(id)));
}

interface ContactMatch {
  rule: string;
  confidence: number;
  customerId: string | null;
  companyId: string | null;
  candidates?: { customerId?: string; companyId?: string }[];
}

/** Rules 1 and 3 for one person (rule 2 calls this on the forward's original sender). */
function matchContact(c: ContactRef, facts: MatchFacts, opts: MatchOptions, forwarded: boolean): ContactMatch {
  const ids = contactIdentities(c, opts.defaultRegion);
  const hits = ids.flatMap((id) => facts.holders.filter((h) => h.kind === id.kind && h.value === id.value));
  const customers = [...new Map(hits.map((h) => [h.customerId, h])).values()];
  if (customers.length === 1) {
    const h = customers[0]!;
    const rule = forwarded ? 'forwarded' : (`identity:${h.kind}` as const);
    return { rule, confidence: confidenceOf[rule], customerId: h.customerId, companyId: h.companyId };
  }
  if (customers.length > 1) {
    return { rule: 'ambiguous', confidence: 0, customerId: null, companyId: null, candidates: customers.map((h) => ({ customerId: h.customerId })) };
  }
  const domain = workDomain(c, opts.internalDomains);
  const companies = domain ? facts.companies.filter((co) => co.domain === domain) : [];
  const distinct = [...new Map(companies.map((co) => [co.id, co])).values()];
  if (distinct.length === 1) {
    return { rule: 'company_domain', confidence: forwarded ? confidenceOf.forwarded_company_domain : confidenceOf.company_domain, customerId: null, companyId: distinct[0]!.id };
  }
  if (distinct.length > 1) {
    return { rule: 'ambiguous', confidence: 0, customerId: null, companyId: null, candidates: distinct.map((co) => ({ companyId: co.id })) };
  }
  return { rule: 'unmatched', confidence: 0, customerId: null, companyId: null };
}

/** A name for a customer created from a message: the display name, else the address or number. */
export function nameForContact(c: ContactRef): string {
  return c.name?.trim() || c.email?.trim().toLowerCase() || c.phone?.trim() || c.slackUser?.trim() || c.externalId?.trim() || 'Unknown';
}

/** Applies the channel hint: it wins unless the identity match is a person of the hinted customer's company. */
function withHint(m: ContactMatch, hint: MatchFacts['hint']): ContactMatch {
  if (!hint || (!hint.customerId && !hint.companyId)) return m;
  if (m.customerId && (m.customerId === hint.customerId || (hint.companyId && m.companyId === hint.companyId))) return m;
  if (hint.customerId) return { rule: 'hint', confidence: confidenceOf.hint, customerId: hint.customerId, companyId: hint.companyId };
  if (m.customerId) return m;
  return { rule: 'hint', confidence: confidenceOf.company_domain, customerId: null, companyId: hint.companyId };
}

export function matchMessage(msg: InboundMessage, facts: MatchFacts, opts: MatchOptions): MatchDecision {
  const own = (c: ContactRef | undefined) => isOwnPerson(c, facts, opts);
  // A message from our Sent folder (directionHint) is ours even when the address is not configured.
  const senderOwn = own(msg.from) || msg.directionHint === 'outbound' || msg.directionHint === 'internal';

  let direction: Direction;
  let contact: ContactRef | null;
  let m: ContactMatch;
  if (!senderOwn) {
    direction = 'inbound';
    contact = msg.from;
    m = withHint(matchContact(msg.from, facts, opts, false), facts.hint);
  } else if (msg.forwardedFrom && !own(msg.forwardedFrom) && contactIdentities(msg.forwardedFrom, opts.defaultRegion).length > 0) {
    // Our person forwarded a customer's mail: the message is the customer's.
    direction = 'inbound';
    contact = msg.forwardedFrom;
    m = withHint(matchContact(msg.forwardedFrom, facts, opts, true), facts.hint);
  } else {
    const external = [...msg.to, ...(msg.cc ?? [])].filter((c) => !own(c) && contactIdentities(c, opts.defaultRegion).length > 0);
    if (external.length === 0 && !facts.hint?.customerId && !facts.hint?.companyId) {
      return {
        direction: 'internal',
        match: { rule: 'staff', confidence: confidenceOf.staff, customerId: null, companyId: null },
        contact: null,
        contactIdentities: [],
        create: null,
        review: null,
      };
    }
    direction = 'outbound';
    const matches = external.map((c) => ({ c, m: matchContact(c, facts, opts, false) }));
    // The first recipient that is a known customer decides; else the first with a company; else the first.
    const pick = matches.find((x) => x.m.customerId) ?? matches.find((x) => x.m.companyId) ?? matches[0];
    contact = pick?.c ?? null;
    m = withHint(pick?.m ?? { rule: 'unmatched', confidence: 0, customerId: null, companyId: null }, facts.hint);
  }

  const ids = contactIdentities(contact, opts.defaultRegion);
  let create: MatchDecision['create'] = null;
  if (!m.customerId && m.rule !== 'ambiguous' && contact && ids.length > 0) {
    if (opts.autoCreate === 'always' || (opts.autoCreate === 'company_domain' && m.companyId)) {
      create = { companyId: m.companyId, name: nameForContact(contact) };
    }
  }
  const review: ReviewReason | null =
    m.customerId || create ? null : m.rule === 'ambiguous' ? 'ambiguous' : m.companyId ? 'company_only' : 'unmatched';
  const match: MatchResult = { rule: m.rule, confidence: m.confidence, customerId: m.customerId, companyId: m.companyId };
  if (m.candidates) match.candidates = m.candidates;
  return { direction, match, contact, contactIdentities: ids, create, review };
}
