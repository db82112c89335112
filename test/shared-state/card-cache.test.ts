// The customer-card cache on the machine's Redis (a key prefix of this file's own): a card is served
// until its customer changes, a card read while the customer changed is never served afterwards,
// and without Redis every card comes from the database.
import { afterAll, describe, expect, it } from 'vitest';
import type { CustomerCard } from '../../src/core/customer-card.js';
import { redisCardCache } from '../../src/shared-state/card-cache.js';
import { RedisLink } from '../../src/shared-state/redis-link.js';
import { dropKeys, redisUrl, uniquePrefix } from '../helpers/redis.js';

const quiet = { info() {}, warn() {} };
const prefix = uniquePrefix('cards');
const link = new RedisLink({ url: redisUrl, prefix, log: quiet });
const cache = redisCardCache(link, 60_000);

afterAll(async () => {
  await link.close();
  await dropKeys(prefix);
});

const card = (id: string, name: string): CustomerCard => ({
  id, name, company: null, owner: null, tags: [], emails: [], phones: [], value: null, segment: null,
  totals: { orders: 0, revenue: [], communications: 1 },
  recent: [{ id: 'c1', channel: 'email', direction: 'inbound', kind: 'message', occurredAt: new Date('2026-11-30T08:00:00Z'), who: null, snippet: 'hi', link: null }],
  keywords: [],
  openThreads: [{ id: 't1', kind: 'issue', subject: null, lastAt: new Date('2026-11-30T09:00:00Z'), messages: 1, link: null }],
  link: null,
});

/** A loader that counts its calls and answers with the name it is given at the time. */
function loader(id: string) {
  let name = 'first';
  let calls = 0;
  return {
    load: async () => {
      calls++;
      return card(id, name);
    },
    rename: (n: string) => (name = n),
    get calls() {
      return calls;
    },
  };
}

describe('customer card cache (Redis)', () => {
  it('serves the stored card, dates and all, until the customer is forgotten', async () => {
    expect(await link.whenReady(10_000)).toBe(true);
    const l = loader('cust-1');
    expect((await cache.get('cust-1', l.load))!.name).toBe('first');
    l.rename('second');
    const hit = (await cache.get('cust-1', l.load))!;
    expect(hit.name).toBe('first');
    expect(hit.recent[0]!.occurredAt).toEqual(new Date('2026-11-30T08:00:00Z'));
    expect(hit.openThreads[0]!.lastAt).toBeInstanceOf(Date);
    expect(l.calls).toBe(1);
    await cache.forget(['cust-1', null, undefined]);
    expect((await cache.get('cust-1', l.load))!.name).toBe('second');
    expect(l.calls).toBe(2);
  });

  it('never serves a card read while its customer changed', async () => {
    const l = loader('cust-2');
    // The change (and its invalidation) lands while the card is being read.
    const racing = async () => {
      const c = await l.load();
      l.rename('changed');
      await cache.forget(['cust-2']);
      return c;
    };
    expect((await cache.get('cust-2', racing))!.name).toBe('first');
    expect((await cache.get('cust-2', l.load))!.name).toBe('changed');
  });

  it('reads a card it cannot parse from the database, and stores it again', async () => {
    const l = loader('cust-6');
    await link.client.set(`${prefix}card:cust-6`, 'not json {');
    expect((await cache.get('cust-6', l.load))!.name).toBe('first');
    expect((await cache.get('cust-6', l.load))!.name).toBe('first');
    expect(l.calls).toBe(1);
  });

  it('answers a lookup by identity from the kept card only while that card, current, still lists the identity', async () => {
    const held = (identities: string[]) => async () => ({ ...card('cust-7', 'Ann'), identities });
    // Nothing known yet: the lookup goes to the database.
    expect(await cache.cardHolding('email:ann@example.com')).toBeNull();
    cache.found('email:ann@example.com', 'cust-7');
    // Known holder, but no card kept yet.
    expect(await cache.cardHolding('email:ann@example.com')).toBeNull();
    await cache.get('cust-7', held(['email:ann@example.com']));
    const hit = (await cache.cardHolding('email:ann@example.com'))!;
    expect(hit.name).toBe('Ann');
    // Kept cards are shared between requests: frozen, and the same object while current.
    expect(Object.isFrozen(hit.recent[0])).toBe(true);
    expect(await cache.cardHolding('email:ann@example.com')).toBe(hit);
    // The email moves away: the customer is forgotten, and the card read afterwards no longer lists it.
    await cache.forget(['cust-7']);
    expect(await cache.cardHolding('email:ann@example.com')).toBeNull();
    await cache.get('cust-7', held(['email:ann.new@example.com']));
    expect(await cache.cardHolding('email:ann@example.com')).toBeNull();
    // A lookup found the new email's holder: served once the holder's current card lists it.
    await cache.get('cust-7', held(['email:ann.new@example.com']));
    cache.found('email:ann.new@example.com', 'cust-7');
    expect((await cache.cardHolding('email:ann.new@example.com'))!.identities).toEqual(['email:ann.new@example.com']);
    await cache.forgetAll();
    expect(await cache.cardHolding('email:ann.new@example.com')).toBeNull();
  });

  it('drops every card at once', async () => {
    const one = loader('cust-3');
    const two = loader('cust-4');
    await cache.get('cust-3', one.load);
    await cache.get('cust-4', two.load);
    await cache.forgetAll();
    await cache.get('cust-3', one.load);
    await cache.get('cust-4', two.load);
    expect([one.calls, two.calls]).toEqual([2, 2]);
  });

  it('reads every card from the database when Redis cannot be reached, promptly', async () => {
    const warnings: string[] = [];
    const nowhere = new RedisLink({ url: 'redis://127.0.0.1:1', prefix, log: { info() {}, warn: (_o, m) => warnings.push(m ?? '') } });
    try {
      const offline = redisCardCache(nowhere, 60_000);
      const l = loader('cust-5');
      const started = Date.now();
      for (let i = 0; i < 3; i++) expect((await offline.get('cust-5', l.load))!.name).toBe('first');
      await offline.forget(['cust-5']);
      expect(l.calls).toBe(3);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(warnings).toHaveLength(1);
    } finally {
      await nowhere.close();
    }
  });
});
