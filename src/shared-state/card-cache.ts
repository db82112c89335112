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
import type { RedisLink } from './redis-link.js';
import { parsed } from './stored-json.js';

export interface CardCache {
  /** Cards are kept (so they must be read from the primary, never a replica a moment behind). */
  readonly kept: boolean;
  /** The cached card, or `load()`'s (cached for next time). */
  get(customerId: string, load: () => Promise<CustomerCard | null>): Promise<CustomerCard | null>;
  /** These customers changed. */
  forget(customerIds: Iterable<string | null | undefined>): Promise<void>;
  /** Many customers may have changed (imports, analytics runs, edits of unknown owner). */
  forgetAll(): Promise<void>;
}

interface Stamped {
  g: number;
  v: number;
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

/** Cards kept by nothing: every read goes to the database (no Redis, or RAPPORT_CARD_CACHE_SECONDS=0). */
export const noCardCache: CardCache = { kept: false, get: (_id, load) => load(), forget: async () => {}, forgetAll: async () => {} };

export function redisCardCache(link: RedisLink, ttlMs: number): CardCache {
  const genKey = link.key('card', 'gen');
  const versionKey = (id: string) => link.key('card', 'v', id);
  const cardKey = (id: string) => link.key('card', id);
  // A version outlives any card stored against it, so an expired version can never revive one.
  const versionTtlMs = ttlMs + 60_000;
  /** Invalidations this process could not record in Redis: every card goes once Redis is back. */
  let missed = false;

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
      const stamps = await link.run(
        async (r) => {
          const [g, v, raw] = await r.mget(genKey, versionKey(id), cardKey(id));
          return { g: Number(g ?? 0), v: Number(v ?? 0), raw };
        },
        () => null,
      );
      if (!stamps) return load();
      const hit = stamps.raw ? parsed<Stamped>(stamps.raw) : null;
      if (hit && hit.g === stamps.g && hit.v === stamps.v) return revive(hit.card);
      const card = await load();
      if (card) {
        const value = JSON.stringify({ g: stamps.g, v: stamps.v, card } satisfies Stamped);
        await link.run(async (r) => void (await r.set(cardKey(id), value, 'PX', ttlMs)), () => undefined);
      }
      return card;
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
  };
}
