// Shared setup for the IMAP tests: a dovecot, a fresh database (PGlite or PostgreSQL by
// RAPPORT_TEST_DB) and an app context whose environment mailbox points at that dovecot.
import { asc, eq } from 'drizzle-orm';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { createLogger } from '../../src/log.js';
import { communications, emailSyncFailures, inbox, mailboxFolders } from '../../src/store/schema/index.js';
import type { DbOrTx } from '../../src/store/database.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import type { DovecotServer } from '../helpers/dovecot.js';

export function mailboxEnv(dovecot: DovecotServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    RAPPORT_IMAP_HOST: dovecot.host,
    RAPPORT_IMAP_PORT: String(dovecot.port),
    RAPPORT_IMAP_TLS: 'false',
    RAPPORT_IMAP_USER: dovecot.user,
    RAPPORT_IMAP_PASSWORD: dovecot.password,
    RAPPORT_IMAP_NAME: 'support',
    RAPPORT_IMAP_SINCE: 'all',
    RAPPORT_INTERNAL_DOMAINS: 'ourco.com',
    RAPPORT_SECRET_KEY: 'test-secret-key-0123456789',
    RAPPORT_JOBS: 'off',
    ...extra,
  };
}

export async function emailTestContext(dovecot: DovecotServer, extra: Record<string, string> = {}): Promise<{ ctx: AppContext; database: TestDatabase }> {
  const database = await createTestDatabase();
  const ctx = await createContext(loadConfig(mailboxEnv(dovecot, extra)), createLogger('silent'), database);
  return { ctx, database };
}

export async function storedEmails(db: DbOrTx) {
  return db
    .select({
      externalId: communications.externalId, direction: communications.direction, subject: communications.subject,
      text: communications.text, fullText: communications.fullText, flags: communications.flags, attachments: communications.attachments,
      rawRef: communications.rawRef,
    })
    .from(communications)
    .where(eq(communications.channel, 'email'))
    .orderBy(asc(communications.externalId));
}

/** External ids of the email messages accepted into the inbox (captured or not yet), in UID order. */
export async function acceptedEmails(db: DbOrTx): Promise<string[]> {
  const rows = await db.select({ externalId: inbox.externalId }).from(inbox).where(eq(inbox.channel, 'email')).orderBy(asc(inbox.receivedAt), asc(inbox.externalId));
  return rows.map((r) => r.externalId);
}

export async function folderStates(db: DbOrTx) {
  return db.select().from(mailboxFolders).orderBy(asc(mailboxFolders.path));
}

export async function syncFailures(db: DbOrTx) {
  return db.select().from(emailSyncFailures).orderBy(asc(emailSyncFailures.uid));
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
