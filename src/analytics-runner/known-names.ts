// The names keywords leave out (customers, companies, staff, owners), read from the store and kept
// for a few minutes per context: every keyword query and the capture hook use them, and names
// change far more slowly than messages arrive.
import { nameWords, type KnownNames } from '../analytics/names.js';
import type { AppContext } from '../context.js';
import { knownNames } from '../store/analytics-queries.js';

const TTL_MS = 5 * 60_000;
const cache = new WeakMap<AppContext, { at: number; names: Promise<ReadonlySet<string>> }>();

/**
 * The name words of a context's database (cached for five minutes; `fresh` reads them now).
 * `words` computes them (the capture worker's analysis threads, which hold jieba anyway).
 */
export function namesToLeaveOut(
  ctx: AppContext,
  fresh = false,
  words: (known: KnownNames) => ReadonlySet<string> | Promise<ReadonlySet<string>> = nameWords,
): Promise<ReadonlySet<string>> {
  const hit = cache.get(ctx);
  if (hit && !fresh && Date.now() - hit.at < TTL_MS) return hit.names;
  const names = knownNames(ctx.database.db).then(words);
  cache.set(ctx, { at: Date.now(), names });
  names.catch(() => cache.delete(ctx));
  return names;
}
