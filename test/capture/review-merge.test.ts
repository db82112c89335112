import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureOf } from '../helpers/capture.js';
import type { AppContext } from '../../src/context.js';
import { normalizeCustomer } from '../../src/core/customers.js';
import { mergeCustomers } from '../../src/store/customer-merge.js';
import { createCustomer, getCustomer } from '../../src/store/customers-repo.js';
import { upsertOrder } from '../../src/store/orders-repo.js';
import { dismissReviewItem, linkCommunication, listReviewItems } from '../../src/store/review-repo.js';
import { communications, customerMerges, customers, identities, orders, reviewItems, threads } from '../../src/store/schema/index.js';
import { captureContext, email, withConfig } from './helpers.js';

let ctx: AppContext;
const opts = { defaultRegion: 'CN', internalDomains: ['rapport.example'] };
const newCustomer = (name: string, emails: string[], extra: Record<string, unknown> = {}) =>
  createCustomer(ctx.database.db, normalizeCustomer({ name, emails, ...extra }, { defaultRegion: 'CN' }));

beforeAll(async () => {
  ({ ctx } = await captureContext({ RAPPORT_AUTO_CREATE: 'never' }));
});
afterAll(async () => {
  await ctx.close();
});

describe('review queue', () => {
  it('links a message to a customer, learns the sender, and the next message matches by itself', async () => {
    const capture = captureOf(ctx);
    const zoe = await newCustomer('Zoe', ['zoe@zeta.example']);
    const first = await capture(email({ email: 'Zoe.Personal@gmail.com', name: 'Zoe' }, { subject: 'my order' }));
    const second = await capture(email({ email: 'zoepersonal+shop@googlemail.com' }, { subject: 'still waiting' }));
    expect([first.queuedForReview, second.queuedForReview]).toEqual([true, true]);
    const open = await listReviewItems(ctx.database.db, {});
    expect(open.data.map((i) => i.communicationId)).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(open.data.find((i) => i.communicationId === first.id)).toMatchObject({ reason: 'unmatched', contact: { email: 'Zoe.Personal@gmail.com', name: 'Zoe' }, communication: { subject: 'my order' } });

    const r = await linkCommunication(ctx.database.db, first.id, zoe, 'tester', opts);
    expect(r).toMatchObject({ customerId: zoe, learned: ['email:zoepersonal@gmail.com'], heldElsewhere: [], alsoLinked: [second.id] });
    const [row] = await ctx.database.db.select().from(communications).where(eq(communications.id, first.id));
    expect(row).toMatchObject({ customerId: zoe, match: { rule: 'review', confidence: 1 } });
    const [t] = await ctx.database.db.select().from(threads).where(eq(threads.id, first.threadId!));
    expect(t!.customerId).toBe(zoe);
    const [item] = await ctx.database.db.select().from(reviewItems).where(eq(reviewItems.communicationId, first.id));
    expect(item).toMatchObject({ status: 'linked', resolvedCustomerId: zoe, resolvedBy: 'tester' });

    const third = await capture(email('ZOEPERSONAL@gmail.com'));
    expect(third).toMatchObject({ customerId: zoe, match: { rule: 'identity:email' }, queuedForReview: false });
  });

  it('does not take an identity another customer holds, and says so', async () => {
    const capture = captureOf(ctx);
    const a = await newCustomer('Amy', ['amy@one.example']);
    const b = await newCustomer('Ben', ['ben@two.example'], { phones: ['+86 139 1111 2222'] });
    // Amy's email, Ben's phone: ambiguous.
    const m = await capture({ ...email({ email: 'amy@one.example', phone: '13911112222' }), channel: 'webhook', externalId: 'amb-1' });
    expect(m).toMatchObject({ match: { rule: 'ambiguous' }, queuedForReview: true });
    const r = await linkCommunication(ctx.database.db, m.id, a, 'tester', opts);
    expect(r.heldElsewhere).toEqual(['phone:+8613911112222']);
    expect((await getCustomer(ctx.database.db, b))!.phones).toEqual(['+8613911112222']);
  });

  it('refuses to link an internal message, an unknown customer or communication', async () => {
    const capture = captureOf(ctx);
    const internal = await capture(email('a@rapport.example', { to: [{ email: 'b@rapport.example' }] }));
    const c = await newCustomer('Cid', ['cid@c.example']);
    await expect(linkCommunication(ctx.database.db, internal.id, c, 't', opts)).rejects.toMatchObject({ code: 'validation' });
    await expect(linkCommunication(ctx.database.db, internal.id, '00000000-0000-4000-8000-000000000000', 't', opts)).rejects.toMatchObject({ code: 'not_found' });
    await expect(linkCommunication(ctx.database.db, 'nope', c, 't', opts)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('dismisses an item once', async () => {
    const capture = captureOf(ctx);
    const m = await capture(email('spam@nowhere.example'));
    expect(await dismissReviewItem(ctx.database.db, m.id, 'tester')).toBe(true);
    expect(await dismissReviewItem(ctx.database.db, m.id, 'tester')).toBe(false);
    expect((await listReviewItems(ctx.database.db, { status: 'dismissed' })).data.map((i) => i.communicationId)).toContain(m.id);
  });
});

describe('customers merge', () => {
  const countAll = async () => {
    const db = ctx.database.db;
    const n = async (t: typeof customers | typeof identities | typeof communications | typeof orders | typeof threads | typeof reviewItems) =>
      Number((await db.select({ n: sql<number>`count(*)` }).from(t))[0]!.n);
    return { customers: await n(customers), identities: await n(identities), communications: await n(communications), orders: await n(orders), threads: await n(threads), reviewItems: await n(reviewItems) };
  };
  const countOf = async (customerId: string) => {
    const db = ctx.database.db;
    const q = async (t: typeof identities | typeof communications | typeof orders | typeof threads) =>
      Number((await db.select({ n: sql<number>`count(*)` }).from(t).where(eq(t.customerId, customerId)))[0]!.n);
    return { identities: await q(identities), communications: await q(communications), orders: await q(orders), threads: await q(threads) };
  };

  it('moves identities, communications, orders and threads, loses nothing, and records who and when', async () => {
    const db = ctx.database.db;
    const capture = captureOf(withConfig(ctx, { RAPPORT_AUTO_CREATE: 'always' }));
    const source = await newCustomer('Max (duplicate)', ['max@gmail.com'], { phones: ['+86 137 0000 1111'], tags: ['vip'], attributes: { plan: 'pro', tier: 'old' } });
    const target = await newCustomer('Max Mustermann', ['max@muster.example'], { company: 'Muster', tags: ['de'], attributes: { tier: 'gold' } });
    for (let i = 0; i < 3; i++) await capture(email('max@gmail.com', { subject: `source ${i}` }));
    await capture(email('max@muster.example', { subject: 'target 1' }));
    await upsertOrder(db, { customerId: source, externalId: 'ord-s1', amount: '10.00', currency: 'EUR', status: 'paid', orderedAt: new Date() });
    await upsertOrder(db, { customerId: source, externalId: 'ord-s2', amount: '20.50', currency: 'EUR', status: 'paid', orderedAt: new Date() });
    await upsertOrder(db, { customerId: target, externalId: 'ord-t1', amount: '5.00', currency: 'EUR', status: 'paid', orderedAt: new Date() });

    const totalsBefore = await countAll();
    const s = await countOf(source);
    const t = await countOf(target);
    expect(s).toEqual({ identities: 2, communications: 3, orders: 2, threads: 3 });

    const r = await mergeCustomers(db, source, target, 'alice@rapport.example');
    expect(r.moved).toMatchObject({ identities: 2, communications: 3, orders: 2, threads: 3 });
    expect(r.kept).toEqual({});

    expect(await countAll()).toEqual(totalsBefore); // nothing deleted, nothing duplicated
    expect(await countOf(target)).toEqual({
      identities: s.identities + t.identities, communications: s.communications + t.communications, orders: s.orders + t.orders, threads: s.threads + t.threads,
    });
    expect(await countOf(source)).toEqual({ identities: 0, communications: 0, orders: 0, threads: 0 });

    const merged = await getCustomer(db, target);
    expect(merged).toMatchObject({ name: 'Max Mustermann', tags: ['de', 'vip'], attributes: { plan: 'pro', tier: 'gold' }, company: { name: 'Muster' } });
    expect(merged!.emails.sort()).toEqual(['max@gmail.com', 'max@muster.example']);
    expect(await getCustomer(db, source)).toBeNull();
    const [src] = await db.select().from(customers).where(eq(customers.id, source));
    expect(src!.deletedAt).not.toBeNull();
    expect(src!.attributes).toMatchObject({ merged_into: target });

    const [audit] = await db.select().from(customerMerges).where(eq(customerMerges.sourceCustomerId, source));
    expect(audit).toMatchObject({ targetCustomerId: target, mergedBy: 'alice@rapport.example', moved: r.moved });
    expect(audit!.sourceSnapshot).toMatchObject({ name: 'Max (duplicate)', emails: ['max@gmail.com'], phones: ['+8613700001111'] });
    expect(Date.now() - audit!.mergedAt.getTime()).toBeLessThan(60_000);

    // The next message from the source's address lands on the target.
    expect((await capture(email('m.a.x@gmail.com'))).customerId).toBe(target);
  });

  it('follows a merge: a message for the merged customer lands on the one it was merged into', async () => {
    const capture = captureOf(ctx);
    const a = await newCustomer('Old', ['old@f.example']);
    const b = await newCustomer('New', ['new@f.example'], { company: 'Follow' });
    await mergeCustomers(ctx.database.db, a, b, 't');
    // A Slack channel linked to the old customer still hints it.
    const r = await capture({ ...email({ slackUser: 'U0SOMEONE' }), channel: 'slack', externalId: 'T:C:1', to: [], customerHint: { customerId: a } });
    const [row] = await ctx.database.db.select({ companyId: customers.companyId }).from(customers).where(eq(customers.id, b));
    expect(r).toMatchObject({ customerId: b, match: { rule: 'hint', customerId: b, companyId: row!.companyId } });
  });

  it('loses no message captured while the merge runs', async () => {
    const capture = captureOf(ctx);
    const a = await newCustomer('Racer', ['racer@r.example']);
    const b = await newCustomer('Racer Inc', ['ops@r.example']);
    const sends = Array.from({ length: 40 }, (_, i) => capture(email('racer@r.example', { subject: `race ${i}` })));
    const [merge, ...results] = await Promise.all([mergeCustomers(ctx.database.db, a, b, 't'), ...sends]);
    expect(merge.targetId).toBe(b);
    expect(results.every((r) => r.status === 'created')).toBe(true);
    const on = async (id: string) => Number((await ctx.database.db.select({ n: sql<number>`count(*)` }).from(communications).where(eq(communications.customerId, id)))[0]!.n);
    expect(await on(a)).toBe(0);
    expect(await on(b)).toBe(40);
  });

  it('refuses a merge into itself or of a customer already merged', async () => {
    const a = await newCustomer('Solo', ['solo@x.example']);
    const b = await newCustomer('Duo', ['duo@x.example']);
    await expect(mergeCustomers(ctx.database.db, a, a, 't')).rejects.toMatchObject({ code: 'validation' });
    await mergeCustomers(ctx.database.db, a, b, 't');
    await expect(mergeCustomers(ctx.database.db, a, b, 't')).rejects.toMatchObject({ code: 'not_found' });
  });
});
