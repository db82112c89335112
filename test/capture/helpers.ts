// A context around a fresh test database, with config overrides, and a small message builder.
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import type { ContactRef, InboundMessage } from '../../src/core/inbound-message.js';
import { createLogger } from '../../src/log.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

export async function captureContext(env: Record<string, string> = {}): Promise<{ ctx: AppContext; database: TestDatabase }> {
  const database = await createTestDatabase();
  const ctx = await createContext(
    loadConfig({ RAPPORT_INTERNAL_DOMAINS: 'rapport.example', RAPPORT_DEFAULT_REGION: 'CN', ...env }),
    createLogger('silent'),
    database,
  );
  return { ctx, database };
}

/** The same context with other settings (the database stays shared). */
export function withConfig(ctx: AppContext, env: Partial<AppContext['config']>): AppContext {
  return { ...ctx, config: { ...ctx.config, ...env } };
}

let n = 0;
export function email(from: ContactRef | string, extra: Partial<InboundMessage> = {}): InboundMessage {
  n += 1;
  return {
    channel: 'email',
    externalId: `<m${n}.${Date.now()}@test>`,
    threadHints: {},
    from: typeof from === 'string' ? { email: from } : from,
    to: [{ email: 'support@rapport.example' }],
    subject: 'Hello',
    text: 'Hello there',
    attachments: [],
    occurredAt: new Date('2026-03-01T10:00:00Z'),
    flags: [],
    ...extra,
  };
}
