import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisAs, captureAllOf, captureOf, channelsFor } from '../helpers/capture.js';
import type { AppContext } from '../../src/context.js';
import { normalizeCustomer } from '../../src/core/customers.js';
import { createCustomer } from '../../src/store/customers-repo.js';
import { communications, customers, identities, inbox, reviewItems, threads } from '../../src/store/schema/index.js';
import { addStaff } from '../../src/store/staff-repo.js';
import { captureContext, email, withConfig } from './helpers.js';

let ctx: AppContext;
let alice: string;
let acmeId: string;

const count = async (table: typeof communications | typeof customers | typeof reviewItems | typeof threads | typeof identities, where?: ReturnType<typeof eq>) => {
  const [row] = await ctx.database.db.select({ n: sql<number>`count(*)` }).from(table).where(where);
  return Number(row!.n);
};

beforeAll(async () => {
  ({ ctx } = await captureContext());
  const db = ctx.database.db;
  alice = await createCustomer(db, normalizeCustomer({ name: 'Alice', emails: ['alice@acme.com'], phones: ['+86 138 0013 8000'], company: 'Acme', domains: ['acme.com', 'gmail.com'] }, { defaultRegion: 'CN' }));
  const [row] = await db.select({ companyId: customers.companyId }).from(customers).where(eq(customers.id, alice));
  acmeId = row!.companyId!;
});
afterAll(async () => {
  await ctx.close(); // closes (and on PostgreSQL drops) the test database
});

describe('capture', () => {
  it('stores a message matched by email with language, kind, search text and participants', async () => {
    const capture = captureOf(ctx);
    const r = await capture(email({ email: 'ALICE@acme.com', name: 'Alice' }, { subject: '发货延迟', text: '我们的订单还没有发货' }));
    expect(r).toMatchObject({ status: 'created', customerId: alice, direction: 'inbound', match: { rule: 'identity:email', confidence: 1, companyId: acmeId } });
    const [row] = await ctx.database.db.select().from(communications).where(eq(communications.id, r.id));
    expect(row).toMatchObject({ customerId: alice, companyId: acmeId, language: 'zh', kind: 'issue', threadId: r.threadId, match: { rule: 'identity:email', confidence: 1 } });
    expect(row!.searchText.split(' ')).toEqual(expect.arrayContaining(['发货', '订单']));
    expect(row!.participants).toEqual([{ role: 'from', email: 'alice@acme.com', name: 'Alice' }, { role: 'to', email: 'support@rapport.example' }]);
  });

  it('returns the first id with status duplicate when a message is delivered again', async () => {
    const capture = captureOf(ctx);
    const m = email('alice@acme.com');
    const first = await capture(m);
    const again = await capture({ ...m, text: 'changed on redelivery' });
    expect(again).toMatchObject({ id: first.id, status: 'duplicate', customerId: alice, threadId: first.threadId });
    expect(await count(communications, eq(communications.externalId, m.externalId))).toBe(1);
  });

  it('stores one row for 100 concurrent deliveries of one message, and returns its id to all', async () => {
    const capture = captureOf(ctx);
    const m = email('someone.new@globex-100.example');
    const results = await Promise.all(Array.from({ length: 100 }, () => capture(m)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.status === 'created')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(99);
    expect(await count(communications, eq(communications.externalId, m.externalId))).toBe(1);
    expect(await count(reviewItems, eq(reviewItems.communicationId, results[0]!.id))).toBe(1);
  });

  it('creates one customer when 20 messages from one new person at a company arrive at once', async () => {
    const capture = captureOf(ctx);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => capture(email({ email: 'dave@acme.com', name: 'Dave' }, { subject: `order ${i}` }))));
    const ids = new Set(results.map((r) => r.customerId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.match.createdCustomer)).toHaveLength(1);
    const [dave] = await ctx.database.db.select().from(customers).where(eq(customers.id, [...ids][0]!));
    expect(dave).toMatchObject({ name: 'Dave', companyId: acmeId });
  });
});

describe('auto-create policy', () => {
  it('never: a company-domain sender goes to review with the company, no customer', async () => {
    const capture = captureOf(withConfig(ctx, { RAPPORT_AUTO_CREATE: 'never' }));
    const before = await count(customers);
    const r = await capture(email('erin@acme.com'));
    expect(r).toMatchObject({ customerId: null, queuedForReview: true, match: { rule: 'company_domain', companyId: acmeId } });
    expect(await count(customers)).toBe(before);
    const [item] = await ctx.database.db.select().from(reviewItems).where(eq(reviewItems.communicationId, r.id));
    expect(item).toMatchObject({ reason: 'company_only', status: 'open', companyId: acmeId, contact: { email: 'erin@acme.com' } });
  });

  it('company_domain: creates a contact under the company but leaves a free-mail stranger unmatched', async () => {
    const capture = captureOf(withConfig(ctx, { RAPPORT_AUTO_CREATE: 'company_domain' }));
    const r = await capture(email({ email: 'frank@acme.com', name: 'Frank' }));
    expect(r).toMatchObject({ match: { rule: 'company_domain', createdCustomer: true, companyId: acmeId }, queuedForReview: false });
    // gmail.com is wrongly listed on Acme: it must not count.
    const s = await capture(email('stranger@gmail.com'));
    expect(s).toMatchObject({ customerId: null, match: { rule: 'unmatched', companyId: null }, queuedForReview: true });
    const again = await capture(email('frank@acme.com'));
    expect(again).toMatchObject({ customerId: r.customerId, match: { rule: 'identity:email' } });
  });

  it('always: creates a customer without a company for an unknown free-mail sender', async () => {
    const capture = captureOf(withConfig(ctx, { RAPPORT_AUTO_CREATE: 'always' }));
    const r = await capture(email({ email: 'Grace.Hopper+x@gmail.com', name: 'Grace' }));
    expect(r.match).toMatchObject({ rule: 'unmatched', createdCustomer: true, companyId: null });
    const [g] = await ctx.database.db.select().from(identities).where(eq(identities.customerId, r.customerId!));
    expect(g).toMatchObject({ kind: 'email', value: 'gracehopper@gmail.com' });
  });
});

describe('our own people', () => {
  it('stores staff-only mail as internal, without customer or review', async () => {
    const capture = captureOf(ctx);
    const r = await capture(email('bob@rapport.example', { to: [{ email: 'carol@rapport.example' }] }));
    expect(r).toMatchObject({ direction: 'internal', customerId: null, queuedForReview: false, match: { rule: 'staff' } });
  });

  it('treats a staff identity on free mail as ours: outbound to the customer', async () => {
    await addStaff(ctx.database.db, 'helper@gmail.com', 'Helper', 'CN');
    const capture = captureOf(ctx);
    const r = await capture(email('helper@gmail.com', { to: [{ email: 'alice@acme.com' }] }));
    expect(r).toMatchObject({ direction: 'outbound', customerId: alice });
  });

  it('attributes a forwarded message to the original sender', async () => {
    const capture = captureOf(ctx);
    const r = await capture(email('agent@rapport.example', { to: [{ email: 'crm@rapport.example' }], forwardedFrom: { email: 'alice@acme.com' }, flags: ['forwarded'] }));
    expect(r).toMatchObject({ direction: 'inbound', customerId: alice, match: { rule: 'forwarded', confidence: 0.9 } });
  });
});

describe('noise', () => {
  it('stores an auto-reply detached from the customer, its thread and the review queue', async () => {
    const capture = captureOf(ctx);
    const r = await capture(email('alice@acme.com', { subject: 'Out of office', flags: ['auto_reply'] }));
    expect(r).toMatchObject({ status: 'created', customerId: null, threadId: null, noise: true, queuedForReview: false });
    const [row] = await ctx.database.db.select().from(communications).where(eq(communications.id, r.id));
    expect(row).toMatchObject({ customerId: null, threadId: null, flags: ['auto_reply'], match: { rule: 'identity:email', customerId: alice, noise: true } });
  });

  it('lets analysis flag noise and never creates a customer for it', async () => {
    const capture = captureOf(withConfig(ctx, { RAPPORT_AUTO_CREATE: 'always' }), {
      analysis: analysisAs(() => ({ language: 'en', kind: 'notice' as never, flags: ['bounce'] })),
    });
    const before = await count(customers);
    const r = await capture(email('mailer-daemon@bounces.example'));
    expect(r).toMatchObject({ noise: true, customerId: null });
    expect(await count(customers)).toBe(before);
  });
});

describe('threading', () => {
  it('joins a reply by In-Reply-To/References, even when the reply arrives with only References', async () => {
    const capture = captureOf(ctx);
    const root = await capture(email('alice@acme.com', { externalId: '<root-1@acme.com>', subject: 'Invoice 42' }));
    const reply = await capture(email('agent@rapport.example', { to: [{ email: 'alice@acme.com' }], subject: 'Re: Invoice 42', threadHints: { inReplyTo: '<root-1@acme.com>', references: ['<root-1@acme.com>'] } }));
    const later = await capture(email('alice@acme.com', { subject: 'RE: Re: Invoice 42', threadHints: { references: ['root-1@acme.com', 'unknown@x'] } }));
    expect(reply.threadId).toBe(root.threadId);
    expect(later.threadId).toBe(root.threadId);
    expect(reply.direction).toBe('outbound');
  });

  it('groups siblings replying to a root we never captured', async () => {
    const capture = captureOf(ctx);
    const a = await capture(email('alice@acme.com', { threadHints: { inReplyTo: '<never-seen@x>', references: ['<never-seen@x>'] } }));
    const b = await capture(email('alice@acme.com', { threadHints: { inReplyTo: '<never-seen@x>', references: ['<never-seen@x>'] } }));
    expect(a.threadId).toBe(b.threadId);
  });

  it('threads email without headers by normalized subject and customer within 14 days', async () => {
    const capture = captureOf(ctx);
    const day = (d: number) => new Date(Date.UTC(2026, 5, d, 9));
    const first = await capture(email('alice@acme.com', { subject: '发货延迟', occurredAt: day(1) }));
    const second = await capture(email('alice@acme.com', { subject: '回复：发货延迟', occurredAt: day(10) }));
    const third = await capture(email('alice@acme.com', { subject: 'ＲＥ：发货延迟', occurredAt: day(23) }));
    const afterGap = await capture(email('alice@acme.com', { subject: 'Re: 发货延迟', occurredAt: new Date(Date.UTC(2026, 6, 20, 9)) }));
    const otherCustomer = await capture(email('frank@acme.com', { subject: 'Re: 发货延迟', occurredAt: day(11) }));
    expect(second.threadId).toBe(first.threadId);
    expect(third.threadId).toBe(first.threadId); // within 14 days of the thread's last message
    expect(afterGap.threadId).not.toBe(first.threadId);
    expect(otherCustomer.threadId).not.toBe(first.threadId);
    const [t] = await ctx.database.db.select().from(threads).where(eq(threads.id, first.threadId!));
    expect(t).toMatchObject({ subject: '发货延迟', normalizedSubject: '发货延迟', customerId: alice, firstAt: day(1), lastAt: day(23) });
  });

  it('uses a channel thread key for Slack', async () => {
    const capture = captureOf(ctx);
    const msg = (ts: string) => ({ ...email({ slackUser: 'U0ALICE' }), channel: 'slack', externalId: `T1:C1:${ts}`, to: [], subject: undefined, threadHints: { key: 'C1:1000.1' } });
    const a = await capture(msg('1000.1'));
    const b = await capture(msg('1000.2'));
    expect(b.threadId).toBe(a.threadId);
  });
});

describe('a batch', () => {
  it('is appended together with the caller\'s own write in one transaction (an IMAP cursor)', async () => {
    const channels = channelsFor(ctx);
    const msgs = [email('alice@acme.com'), email('alice@acme.com')];
    const db = ctx.database.db;
    await expect(
      db.transaction(async (tx) => {
        await channels.inbox.appendAll(msgs, tx);
        throw new Error('cursor write failed');
      }),
    ).rejects.toThrow('cursor write failed');
    const keys = sql`${inbox.externalId} in (${msgs[0]!.externalId}, ${msgs[1]!.externalId})`;
    expect(Number((await db.select({ n: sql<number>`count(*)` }).from(inbox).where(keys))[0]!.n)).toBe(0);
    await db.transaction((tx) => channels.inbox.appendAll(msgs, tx));
    const results = await captureAllOf(ctx)(msgs);
    expect(results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(await count(communications, sql`${communications.externalId} in (${msgs[0]!.externalId}, ${msgs[1]!.externalId})` as never)).toBe(2);
  });

  it('rejects an invalid message alone and keeps the rest', async () => {
    const good = email('alice@acme.com');
    const results = await captureAllOf(ctx)([{ ...email('alice@acme.com'), externalId: '  ' }, good, good]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'created', 'duplicate']);
    expect(results[0]!.error).toMatchObject({ code: 'validation' });
    expect(results[2]!.id).toBe(results[1]!.id);
  });
});
