// Customer cards (`/crm lookup`, the console's customer page) kept for a while, and forgotten the
// moment the customer changes: a captured message, an edit, a merge, an erasure, a note, an order.
//
// Each card is stored with the customer's version and the cache's generation as they were before
// the card was read from the database. Forgetting a customer bumps its version, forgetting every
// card bumps the generation; a card whose stamps no longer match is not served. So a card read
// while the customer changed is never served afterwards, even if it is written last.
//
// The cards are kept in Redis, shared by every instance, and only there: without REDIS_URL every card
// is read from the database, as before (a card kept in one process would miss changes another
// process makes — the CLI, an import). While Redis is away cards come from the database, and once
// it is back every card stored before is dropped (what changed meanwhile could not be recorded).
import type { CustomerCard } from '../core/customer-card.js';
import { deepFreeze } from '../core/deep-freeze.js';
import type { RedisLink } from './redis-link.js';
import { parsed } from './stored-json.js';
import { keepRecent } from '../core/recent-map.js';

export interface CardCache {
  /** Cards are kept (so they must be read from the primary, never a replica a moment behind). */
  readonly kept: boolean;
  /** The cached card, or `load()`'s (cached for next time). */
  get(customerId: string, load: () => Promise<CustomerCard | null>): Promise<CustomerCard | null>;
  /** These customers changed. */
  forget(customerIds: Iterable<string | null | undefined>): Promise<void>;
  /** Many customers may have changed (imports, analytics runs, edits of unknown owner). */
  forgetAll(): Promise<void>;
  /**
   * The kept card of whoever holds `identity` (`email:ann@example.com`, as identities are stored),
   * or null: when this process has not seen a lookup find its holder, or that holder's kept card is
   * gone, out of date or no longer lists the identity. One Redis read, no database.
   */
  cardHolding(identity: string): Promise<CustomerCard | null>;
  /** A lookup by `identity` found exactly this customer (the guess `cardHolding` starts from). */
  found(identity: string, customerId: string): void;
}

interface Stamped {
  g: number;
  v: number;
  /** When the card was read from the database (ms since the epoch); absent in cards stored by older versions. */
  at?: number;
  card: CustomerCard;
}

const ids = (list: Iterable<string | null | undefined>) => [...new Set([...list].filter((x): x is string => Boolean(x)))];

/** A card that went through JSON: its dates back as dates. */
function revive(card: CustomerCard): CustomerCard {
  return {
    ...card,
    recent: card.recent.map((c) => ({ ...c, occurredAt: new Date(c.occurredAt) })),
    openThreads: card.openThreads.map((t) => ({ ...t, lastAt: new Date(t.lastAt) })),
  };
}

/** How many current cards a process keeps with their stamps (the least recently used go first). */
const keptCards = 256;

/** Cards kept by nothing: every read goes to the database (no Redis, or RAPPORT_CARD_CACHE_SECONDS=0). */
export const noCardCache: CardCache = {
  kept: false,
  get: (_id, load) => load(),
  forget: async () => {},
  forgetAll: async () => {},
  cardHolding: async () => null,
  found: () => {},
};

/** How many identity → customer guesses a process keeps (the least recently used go first). */
const holderGuesses = 10_000;

/** A stored card, its dates revived; null when the text is not one. */
function stampedFrom(raw: string): Stamped | null {
  const hit = parsed<Stamped>(raw);
  if (!hit || typeof hit !== 'object' || !hit.card) return null;
  return { ...hit, card: revive(hit.card) };
}

export function redisCardCache(link: RedisLink, ttlMs: number): CardCache {
  const genKey = link.key('card', 'gen');
  const versionKey = (id: string) => link.key('card', 'v', id);
  const cardKey = (id: string) => link.key('card', id);
  // A version outlives any card stored against it, so an expired version can never revive one.
  const versionTtlMs = ttlMs + 60_000;
  /** Invalidations this process could not record in Redis: every card goes once Redis is back. */
  let missed = false;
  /**
   * Who a lookup by an identity found, in this process. Only a guess: it is served only when the
   * holder's card, current by its stamps, lists the identity. Any change to a customer's identities
   * (an edit, a merge, a deletion) forgets that customer, so a current card is the truth about them.
   */
  const holders = new Map<string, string>();
  /**
   * The last current card seen for each customer, frozen, with its stamps. While Redis still holds
   * those stamps (and the card is younger than the cache's time to live) it is the kept card: one
   * small read of the stamps serves it, without fetching and parsing the card again, and the same
   * object comes back, so the reply rendered from it is kept with it (see adapters/slack/blocks.ts).
   */
  const lastSeen = new Map<string, Stamped>();
  const remember = (id: string, stamped: Stamped): Stamped => keepRecent(lastSeen, id, deepFreeze(stamped), keptCards);

  /**
   * Redis's stamps for this customer and the kept card when it is current (else `card` null);
   * null when Redis cannot be reached.
   */
  const read = (id: string) =>
    link.run(
      async (r): Promise<{ g: number; v: number; card: CustomerCard | null }> => {
        const seen = lastSeen.get(id);
        if (seen && (seen.at ?? 0) + ttlMs > Date.now()) {
          const [g, v] = await r.mget(genKey, versionKey(id));
          if (seen.g === Number(g ?? 0) && seen.v === Number(v ?? 0)) return keepRecent(lastSeen, id, seen, keptCards);
        }
        const [g, v, raw] = await r.mget(genKey, versionKey(id), cardKey(id));
        const stamps = { g: Number(g ?? 0), v: Number(v ?? 0) };
        const hit = raw ? stampedFrom(raw) : null;
        return hit && hit.g === stamps.g && hit.v === stamps.v ? remember(id, hit) : { ...stamps, card: null };
      },
      () => null,
    );

  const bumpGeneration = () =>
    link.run(
      async (r) => {
        await r.incr(genKey);
        missed = false;
      },
      () => {
        missed = true;
      },
    );
  link.onBack(bumpGeneration);

  return {
    kept: true,
    async get(id, load) {
      if (missed) await bumpGeneration();
      if (missed) return load();
      const kept = await read(id);
      if (!kept) return load();
      if (kept.card) return kept.card;
      const at = Date.now();
      const card = await load();
      if (!card) return card;
      const stamped = { g: kept.g, v: kept.v, at, card } satisfies Stamped;
      await link.run(async (r) => void (await r.set(cardKey(id), JSON.stringify(stamped), 'PX', ttlMs)), () => undefined);
      return remember(id, stamped).card;
    },
    async forget(list) {
      const all = ids(list);
      if (all.length === 0) return;
      await link.run(
        async (r) => {
          const batch = r.multi();
          for (const id of all) batch.incr(versionKey(id)).pexpire(versionKey(id), versionTtlMs).del(cardKey(id));
          await batch.exec();
        },
        () => {
          missed = true;
        },
      );
    },
    forgetAll: bumpGeneration,
    async cardHolding(identity) {
      const id = holders.get(identity);
      if (!id || missed) return null;
      const card = (await read(id))?.card;
      if (!card?.identities?.includes(identity)) return null;
      keepRecent(holders, identity, id, holderGuesses);
      return card;
    },
    found(identity, customerId) {
      keepRecent(holders, identity, customerId, holderGuesses);
    },
  };
}
