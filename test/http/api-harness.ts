// An app on a fresh test database (PGlite or PostgreSQL, per project) with one token per scope.
import type { LightMyRequestResponse } from 'fastify';
import { searchTextOf } from '../../src/analytics/segment.js';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { build, type App } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { communications } from '../../src/store/schema/index.js';
import { createToken, type TokenScope } from '../../src/store/tokens-repo.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

export interface ApiHarness {
  app: App;
  ctx: AppContext;
  database: TestDatabase;
  tokens: Record<TokenScope, string>;
  /** app.inject with a bearer token of the scope (default write) and JSON body. */
  call(method: string, url: string, opts?: { scope?: TokenScope | null; token?: string; body?: unknown }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function apiHarness(env: Record<string, string> = {}): Promise<ApiHarness> {
  const database = await createTestDatabase();
  const ctx = await createContext(loadConfig({ RAPPORT_DEFAULT_REGION: 'CN', RAPPORT_JOBS: 'off', ...env }), createLogger('silent'), database);
  const app = await build({ ctx, logRequests: false });
  const tokens = {} as Record<TokenScope, string>;
  for (const scope of ['read', 'write', 'admin'] as const) tokens[scope] = (await createToken(database.db, { name: `test ${scope}`, scope })).token;
  return {
    app,
    ctx,
    database,
    tokens,
    call(method, url, opts = {}) {
      const token = opts.token ?? (opts.scope === null ? undefined : tokens[opts.scope ?? 'write']);
      return app.inject({
        method: method as 'GET',
        url,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
      });
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}

let seq = 0;
/** Inserts a communication directly, as the capture pipeline would store it. */
export async function insertCommunication(
  database: TestDatabase,
  c: { customerId?: string | null; subject?: string | null; text: string; occurredAt: Date; channel?: string },
): Promise<string> {
  seq += 1;
  const [row] = await database.db
    .insert(communications)
    .values({
      channel: c.channel ?? 'email',
      direction: 'inbound',
      externalId: `test-${seq}-${Math.random().toString(36).slice(2)}`,
      customerId: c.customerId ?? null,
      subject: c.subject ?? null,
      text: c.text,
      occurredAt: c.occurredAt,
      searchText: searchTextOf(c.subject, c.text),
    })
    .returning({ id: communications.id });
  return row!.id;
}

/** Follows next_cursor from the first page to the last, collecting every item. */
export async function allPages<T>(h: ApiHarness, url: string, scope: TokenScope = 'read'): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res = await h.call('GET', cursor ? `${url}${sep}cursor=${encodeURIComponent(cursor)}` : url, { scope });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    const body = res.json() as { data: T[]; next_cursor: string | null };
    items.push(...body.data);
    cursor = body.next_cursor;
    pages += 1;
  } while (cursor && pages < 1000);
  return { items, pages };
}
