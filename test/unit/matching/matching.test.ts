// The matching rules one by one, as a table: a message, what the store knows, what must come out.
import { describe, expect, it } from 'vitest';
import type { ContactRef, InboundMessage } from '../../../src/core/inbound-message.js';
import { isOwnPerson, lookupsFor, matchMessage, type AutoCreatePolicy, type MatchFacts } from '../../../src/core/matching.js';

const ACME = '00000000-0000-4000-8000-00000000a0c0';
const GLOBEX = '00000000-0000-4000-8000-0000000091b0';
const ALICE = '00000000-0000-4000-8000-0000000a11ce';
const BOB = '00000000-0000-4000-8000-000000000b0b';
const CAROL = '00000000-0000-4000-8000-0000000ca201';

const opts = (autoCreate: AutoCreatePolicy = 'company_domain') => ({ internalDomains: ['rapport.example'], defaultRegion: 'CN', autoCreate });

// What the store holds: identities of three customers, two companies (one wrongly listing gmail.com,
// two sharing a domain), and one staff member on a free-mail address.
const known: MatchFacts = {
  holders: [
    { kind: 'email', value: 'alice@acme.com', customerId: ALICE, companyId: ACME },
    { kind: 'email', value: 'bobsmith@gmail.com', customerId: BOB, companyId: null },
    { kind: 'phone', value: '+8613800138000', customerId: CAROL, companyId: GLOBEX },
    { kind: 'slack_user', value: 'U0CAROL', customerId: CAROL, companyId: GLOBEX },
    { kind: 'external_id', value: 'crm-42', customerId: ALICE, companyId: ACME },
    { kind: 'phone', value: '+8613900139000', customerId: BOB, companyId: null },
  ],
  companies: [
    { id: ACME, name: 'Acme', domains: ['acme.com', 'gmail.com'], domain: 'acme.com' },
    { id: ACME, name: 'Acme', domains: ['acme.com', 'gmail.com'], domain: 'gmail.com' },
    { id: GLOBEX, name: 'Globex', domains: ['globex.cn', 'shared.example'], domain: 'globex.cn' },
    { id: GLOBEX, name: 'Globex', domains: ['globex.cn', 'shared.example'], domain: 'shared.example' },
    { id: ALICE, name: 'Initech', domains: ['shared.example'], domain: 'shared.example' },
  ],
  staff: [{ kind: 'email', value: 'helper@gmail.com' }, { kind: 'slack_user', value: 'U0STAFF' }],
};

function msg(from: ContactRef, to: ContactRef[] = [{ email: 'support@rapport.example' }], extra: Partial<InboundMessage> = {}): InboundMessage {
  return { channel: 'email', externalId: 'm1', threadHints: {}, from, to, text: 'hi', attachments: [], occurredAt: new Date(0), flags: [], ...extra };
}

interface Case {
  name: string;
  message: InboundMessage;
  policy?: AutoCreatePolicy;
  facts?: Partial<MatchFacts>;
  expect: { direction: string; rule: string; customerId?: string | null; companyId?: string | null; confidence?: number; create?: boolean; review?: string | null };
}

const cases: Case[] = [
  // Rule 1: exact identity.
  { name: 'an email address, case-insensitively', message: msg({ email: 'Alice@ACME.com' }), expect: { direction: 'inbound', rule: 'identity:email', customerId: ALICE, companyId: ACME, confidence: 1, review: null } },
  { name: 'a Gmail address with dots and a +tag folded', message: msg({ email: 'Bob.Smith+orders@googlemail.com' }), expect: { direction: 'inbound', rule: 'identity:email', customerId: BOB } },
  { name: 'a phone number written locally, as E.164', message: msg({ phone: '138 0013 8000' }, []), expect: { direction: 'inbound', rule: 'identity:phone', customerId: CAROL, confidence: 0.95 } },
  { name: 'a Slack user id', message: msg({ slackUser: 'u0carol' }, [], { channel: 'slack' }), expect: { direction: 'inbound', rule: 'identity:slack_user', customerId: CAROL } },
  { name: 'an external id', message: msg({ externalId: 'crm-42' }, [], { channel: 'webhook' }), expect: { direction: 'inbound', rule: 'identity:external_id', customerId: ALICE } },
  { name: 'two identifiers of two different customers as ambiguous', message: msg({ email: 'alice@acme.com', phone: '+86 139 0013 9000' }), expect: { direction: 'inbound', rule: 'ambiguous', customerId: null, review: 'ambiguous', create: false } },
  // Rule 2: forwards by our own people.
  {
    name: 'a forward by staff to the original sender',
    message: msg({ email: 'agent@rapport.example' }, [{ email: 'crm@rapport.example' }], { forwardedFrom: { email: 'alice@acme.com' } }),
    expect: { direction: 'inbound', rule: 'forwarded', customerId: ALICE, confidence: 0.9 },
  },
  {
    name: 'a forward of an unknown sender by the company domain, with lower confidence',
    message: msg({ email: 'agent@rapport.example' }, [], { forwardedFrom: { email: 'new@globex.cn' } }),
    expect: { direction: 'inbound', rule: 'company_domain', companyId: GLOBEX, confidence: 0.5, create: true },
  },
  {
    name: 'a forward by a customer as the customer\'s own message',
    message: msg({ email: 'alice@acme.com' }, undefined, { forwardedFrom: { email: 'bobsmith@gmail.com' } }),
    expect: { direction: 'inbound', rule: 'identity:email', customerId: ALICE },
  },
  // Rule 3: company by work domain.
  { name: 'an unknown sender at a company domain, creating a contact under it', message: msg({ email: 'dave@acme.com', name: 'Dave' }), expect: { direction: 'inbound', rule: 'company_domain', customerId: null, companyId: ACME, confidence: 0.6, create: true, review: null } },
  { name: 'a company domain without creating when the policy is never', policy: 'never', message: msg({ email: 'dave@acme.com' }), expect: { direction: 'inbound', rule: 'company_domain', companyId: ACME, create: false, review: 'company_only' } },
  { name: 'never a free-mail domain, even one a company wrongly lists', message: msg({ email: 'stranger@gmail.com' }), expect: { direction: 'inbound', rule: 'unmatched', companyId: null, create: false, review: 'unmatched' } },
  { name: 'a domain two companies list as ambiguous', message: msg({ email: 'x@shared.example' }), expect: { direction: 'inbound', rule: 'ambiguous', create: false, review: 'ambiguous' } },
  // Rule 4 and the auto-create policy.
  { name: 'an unknown sender at an unknown domain as unmatched', message: msg({ email: 'who@nowhere.example' }), expect: { direction: 'inbound', rule: 'unmatched', confidence: 0, create: false, review: 'unmatched' } },
  { name: 'an unknown sender as a new customer when the policy is always', policy: 'always', message: msg({ email: 'who@nowhere.example' }), expect: { direction: 'inbound', rule: 'unmatched', create: true, review: null } },
  { name: 'a sender without any identifier as unmatched, even with always', policy: 'always', message: msg({ name: 'Anonymous' }), expect: { direction: 'inbound', rule: 'unmatched', create: false, review: 'unmatched' } },
  // Our own people.
  { name: 'staff to staff as internal', message: msg({ email: 'a@rapport.example' }, [{ email: 'b@rapport.example' }], { cc: [{ email: 'helper@gmail.com' }] }), expect: { direction: 'internal', rule: 'staff', customerId: null, review: null, create: false } },
  { name: 'a staff Slack user with no customer in sight as internal', message: msg({ slackUser: 'U0STAFF' }, [], { channel: 'slack' }), expect: { direction: 'internal', rule: 'staff' } },
  { name: 'a subdomain of an internal domain as ours', message: msg({ email: 'a@mail.rapport.example' }, [{ email: 'b@rapport.example' }]), expect: { direction: 'internal', rule: 'staff' } },
  { name: 'staff to a customer as outbound, matched on the recipient', message: msg({ email: 'agent@rapport.example' }, [{ email: 'b@rapport.example' }, { email: 'alice@acme.com' }]), expect: { direction: 'outbound', rule: 'identity:email', customerId: ALICE } },
  { name: 'a staff member on free mail (a staff identity) as ours', message: msg({ email: 'helper@gmail.com' }, [{ email: 'alice@acme.com' }]), expect: { direction: 'outbound', rule: 'identity:email', customerId: ALICE } },
  { name: 'a known customer recipient preferred over an unknown one', message: msg({ email: 'agent@rapport.example' }, [{ email: 'who@nowhere.example' }], { cc: [{ email: 'bob.smith@gmail.com' }] }), expect: { direction: 'outbound', rule: 'identity:email', customerId: BOB } },
  { name: 'a message from our Sent folder as outbound even from an unconfigured address', message: msg({ email: 'me@other.example' }, [{ email: 'alice@acme.com' }], { directionHint: 'outbound' }), expect: { direction: 'outbound', rule: 'identity:email', customerId: ALICE } },
  { name: 'outbound to an unknown company contact, creating it', message: msg({ email: 'agent@rapport.example' }, [{ email: 'new@globex.cn' }]), expect: { direction: 'outbound', rule: 'company_domain', companyId: GLOBEX, create: true } },
  // The channel's hint.
  { name: 'a linked channel\'s customer for an unknown Slack user', message: msg({ slackUser: 'U0NOBODY' }, [], { channel: 'slack' }), facts: { hint: { customerId: BOB, companyId: null } }, expect: { direction: 'inbound', rule: 'hint', customerId: BOB, confidence: 1 } },
  { name: 'a staff message in a linked channel as outbound to that customer', message: msg({ slackUser: 'U0STAFF' }, [], { channel: 'slack' }), facts: { hint: { customerId: CAROL, companyId: GLOBEX } }, expect: { direction: 'outbound', rule: 'hint', customerId: CAROL } },
  { name: 'a colleague of the hinted customer as that colleague', message: msg({ slackUser: 'U0CAROL' }, [], { channel: 'slack' }), facts: { hint: { customerId: '00000000-0000-4000-8000-000000000999', companyId: GLOBEX } }, expect: { direction: 'inbound', rule: 'identity:slack_user', customerId: CAROL } },
  { name: 'the hint over someone from another company', message: msg({ email: 'alice@acme.com' }, [], { channel: 'slack' }), facts: { hint: { customerId: BOB, companyId: null } }, expect: { direction: 'inbound', rule: 'hint', customerId: BOB } },
];

describe('matchMessage', () => {
  it.each(cases)('matches $name', (c) => {
    const d = matchMessage(c.message, { ...known, ...c.facts }, opts(c.policy));
    expect(d.direction).toBe(c.expect.direction);
    expect(d.match.rule).toBe(c.expect.rule);
    if (c.expect.customerId !== undefined) expect(d.match.customerId).toBe(c.expect.customerId);
    if (c.expect.companyId !== undefined) expect(d.match.companyId).toBe(c.expect.companyId);
    if (c.expect.confidence !== undefined) expect(d.match.confidence).toBe(c.expect.confidence);
    if (c.expect.create !== undefined) expect(d.create !== null).toBe(c.expect.create);
    if (c.expect.review !== undefined) expect(d.review).toBe(c.expect.review);
  });

  it('names ambiguous candidates', () => {
    const d = matchMessage(msg({ email: 'x@shared.example' }), known, opts());
    expect(d.match.candidates).toEqual([{ companyId: GLOBEX }, { companyId: ALICE }]);
  });

  it('creates the contact with its display name and every identity it brought', () => {
    const d = matchMessage(msg({ email: 'Dave@Acme.com', name: ' Dave Li ', phone: '+86 138 0000 0000' }), known, opts());
    expect(d.create).toEqual({ companyId: ACME, name: 'Dave Li' });
    expect(d.contactIdentities.map((i) => `${i.kind}:${i.value}`)).toEqual(['email:dave@acme.com', 'phone:+8613800000000']);
  });
});

describe('lookupsFor', () => {
  it('asks for every identity and only work domains', () => {
    const m = msg({ email: 'Bob.Smith+x@gmail.com', phone: '13800138000' }, [{ email: 'a@rapport.example' }], { cc: [{ email: 'c@Globex.cn' }], forwardedFrom: { slackUser: 'u0x1' } });
    const l = lookupsFor(m, opts());
    expect(l.identities).toEqual(
      expect.arrayContaining([
        { kind: 'email', value: 'bobsmith@gmail.com' },
        { kind: 'phone', value: '+8613800138000' },
        { kind: 'email', value: 'a@rapport.example' },
        { kind: 'email', value: 'c@globex.cn' },
        { kind: 'slack_user', value: 'U0X1' },
      ]),
    );
    expect(l.domains).toEqual(['globex.cn']);
  });
});

describe('isOwnPerson', () => {
  it('knows staff by internal domain or staff identity, not by display name', () => {
    const o = opts();
    expect(isOwnPerson({ email: 'x@RAPPORT.example' }, known, o)).toBe(true);
    expect(isOwnPerson({ email: 'Helper+crm@gmail.com' }, known, o)).toBe(true);
    expect(isOwnPerson({ email: 'x@rapport.example.evil.com' }, known, o)).toBe(false);
    expect(isOwnPerson({ name: 'support@rapport.example' }, known, o)).toBe(false);
  });
});
