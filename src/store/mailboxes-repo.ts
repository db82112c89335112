// Mailboxes, their folder cursors and the record of messages that could not be captured.
// Secrets arrive here already sealed (src/core/secret-box.ts); this file never sees a password.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { RapportError } from '../core/errors.js';
import type { DbOrTx } from './database.js';
import { inbox } from './schema/inbox.js';
import { emailSyncFailures, mailboxes, mailboxFolders, type MailboxAuthKind } from './schema/email.js';

export type MailboxRow = typeof mailboxes.$inferSelect;
export type FolderStateRow = typeof mailboxFolders.$inferSelect;

export interface NewMailbox {
  name: string;
  host: string;
  port: number;
  tls: boolean;
  user: string;
  authKind: MailboxAuthKind;
  /** Sealed secret, or null for the environment mailbox. */
  secret: string | null;
  folders: string[];
  since: string;
  source: 'cli' | 'env';
}

export async function createMailbox(db: DbOrTx, input: NewMailbox): Promise<MailboxRow> {
  const [row] = await db.insert(mailboxes).values(input).onConflictDoNothing().returning();
  if (!row) throw new RapportError('conflict', `a mailbox named ${input.name} exists already`, { name: input.name });
  return row;
}

/** The environment mailbox is kept as a row (its cursors need one) without its secret. */
export async function upsertEnvMailbox(db: DbOrTx, input: Omit<NewMailbox, 'source' | 'secret'>): Promise<MailboxRow> {
  const values = { ...input, source: 'env' as const, secret: null };
  const [row] = await db
    .insert(mailboxes)
    .values(values)
    .onConflictDoUpdate({
      target: mailboxes.name,
      set: { host: input.host, port: input.port, tls: input.tls, user: input.user, authKind: input.authKind, folders: input.folders, since: input.since, updatedAt: new Date() },
      // A mailbox added by CLI under the same name is never overwritten by the environment.
      setWhere: sql`${mailboxes.source} = 'env'`,
    })
    .returning();
  if (row) return row;
  throw new RapportError('conflict', `RAPPORT_IMAP_NAME=${input.name} is taken by a mailbox added with "rapport mailbox add"`, { name: input.name });
}

export async function listMailboxes(db: DbOrTx): Promise<MailboxRow[]> {
  return db.select().from(mailboxes).orderBy(mailboxes.name);
}

export async function getMailboxByName(db: DbOrTx, name: string): Promise<MailboxRow | null> {
  const [row] = await db.select().from(mailboxes).where(eq(mailboxes.name, name));
  return row ?? null;
}

export async function removeMailbox(db: DbOrTx, name: string): Promise<boolean> {
  const rows = await db.delete(mailboxes).where(eq(mailboxes.name, name)).returning({ id: mailboxes.id });
  return rows.length > 0;
}

export async function getFolderCursor(db: DbOrTx, mailboxId: string, path: string): Promise<{ uidValidity: string; highestUid: number } | null> {
  const [row] = await db
    .select({ uidValidity: mailboxFolders.uidValidity, highestUid: mailboxFolders.highestUid })
    .from(mailboxFolders)
    .where(and(eq(mailboxFolders.mailboxId, mailboxId), eq(mailboxFolders.path, path)));
  if (!row?.uidValidity) return null;
  return { uidValidity: row.uidValidity, highestUid: Number(row.highestUid) };
}

/**
 * Advances a folder's cursor. Under the same UIDVALIDITY it only moves forward (two syncs racing
 * cannot move it back); a new UIDVALIDITY replaces it. Call inside the batch's transaction.
 */
export async function writeFolderCursor(
  db: DbOrTx,
  mailboxId: string,
  folder: { path: string; role: string },
  cursor: { uidValidity: string; highestUid: number },
  seen: number,
): Promise<void> {
  const now = new Date();
  await db
    .insert(mailboxFolders)
    .values({
      mailboxId, path: folder.path, role: folder.role, uidValidity: cursor.uidValidity, highestUid: cursor.highestUid,
      messagesSeen: seen, lastSyncAt: now, lastErrorCode: null,
    })
    .onConflictDoUpdate({
      target: [mailboxFolders.mailboxId, mailboxFolders.path],
      set: {
        role: folder.role,
        highestUid: sql`case when ${mailboxFolders.uidValidity} = excluded.uid_validity
          then greatest(${mailboxFolders.highestUid}, excluded.highest_uid) else excluded.highest_uid end`,
        messagesSeen: sql`case when ${mailboxFolders.uidValidity} = excluded.uid_validity
          then ${mailboxFolders.messagesSeen} + excluded.messages_seen else excluded.messages_seen end`,
        uidValidity: sql`excluded.uid_validity`,
        lastSyncAt: now,
        lastErrorCode: null,
        lastErrorAt: null,
      },
    });
}

export async function recordFolderError(db: DbOrTx, mailboxId: string, folder: { path: string; role: string }, code: string | null): Promise<void> {
  const now = new Date();
  await db
    .insert(mailboxFolders)
    .values({ mailboxId, path: folder.path, role: folder.role, lastErrorCode: code, lastErrorAt: code ? now : null })
    .onConflictDoUpdate({
      target: [mailboxFolders.mailboxId, mailboxFolders.path],
      set: { lastErrorCode: code, lastErrorAt: code ? now : null },
    });
}

export interface SyncFailureInput {
  uid: number;
  messageId: string | null;
  code: string;
  reason: string;
  size: number | null;
}

export async function recordSyncFailures(
  db: DbOrTx, mailboxId: string, folder: string, uidValidity: string, failures: SyncFailureInput[],
): Promise<void> {
  if (failures.length === 0) return;
  await db
    .insert(emailSyncFailures)
    .values(failures.map((f) => ({ mailboxId, folder, uidValidity, uid: f.uid, messageId: f.messageId, code: f.code, reason: f.reason, size: f.size })))
    .onConflictDoNothing();
}

export async function listSyncFailures(db: DbOrTx, mailboxId: string) {
  return db.select().from(emailSyncFailures).where(eq(emailSyncFailures.mailboxId, mailboxId)).orderBy(emailSyncFailures.folder, emailSyncFailures.uid);
}

export async function listFolderStates(db: DbOrTx, mailboxIds: string[]): Promise<FolderStateRow[]> {
  if (mailboxIds.length === 0) return [];
  return db.select().from(mailboxFolders).where(inArray(mailboxFolders.mailboxId, mailboxIds)).orderBy(mailboxFolders.path);
}

/** Which of these email external ids (canonical Message-IDs) were accepted already. */
export async function storedEmailIds(db: DbOrTx, externalIds: string[]): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  // The inbox holds every message accepted on the channel, captured or still waiting.
  const rows = await db
    .select({ externalId: inbox.externalId })
    .from(inbox)
    .where(and(eq(inbox.channel, 'email'), inArray(inbox.externalId, externalIds)));
  return new Set(rows.map((r) => r.externalId));
}
