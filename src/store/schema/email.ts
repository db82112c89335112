// Mailboxes Rapport reads over IMAP, and per folder the cursor that makes sync resumable: the
// folder's UIDVALIDITY and the highest UID whose messages are committed (written in the same
// transaction as those messages). Messages that could not be parsed or captured are recorded in
// email_sync_failures, so skipping them loses nothing silently.
import { sql } from 'drizzle-orm';
import { bigint, boolean, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const mailboxAuthKinds = ['password', 'oauth2'] as const;
export type MailboxAuthKind = (typeof mailboxAuthKinds)[number];

export const mailboxes = pgTable(
  'mailboxes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** A short name people use on the command line (`--mailbox support`). */
    name: text('name').notNull(),
    host: text('host').notNull(),
    port: integer('port').notNull(),
    /** true: implicit TLS (993); false: STARTTLS when the server offers it. */
    tls: boolean('tls').notNull().default(true),
    user: text('user').notNull(),
    authKind: text('auth_kind').$type<MailboxAuthKind>().notNull().default('password'),
    /** The password or OAuth2 access token, AES-256-GCM sealed (src/core/secret-box.ts). Null for
     *  the mailbox configured by environment, whose secret stays in the environment. */
    secret: text('secret'),
    /** Folder paths or special-use names (`\Sent`); empty → INBOX and the \Sent folder. */
    folders: text('folders').array().notNull().default(sql`'{}'::text[]`),
    /** How far back a first sync goes: `90d`, `12w`, `6m`, `1y`, an ISO date, or `all`. */
    since: text('since').notNull().default('90d'),
    /** 'cli' (rapport mailbox add) or 'env' (RAPPORT_IMAP_*). */
    source: text('source').$type<'cli' | 'env'>().notNull().default('cli'),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('mailboxes_name_key').on(t.name)],
);

export const mailboxFolders = pgTable(
  'mailbox_folders',
  {
    mailboxId: uuid('mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    /** 'inbox' | 'sent' | 'other': Sent is captured as outbound. */
    role: text('role').notNull().default('other'),
    /** UIDVALIDITY as text (it is an unsigned 32-bit value; kept exact). */
    uidValidity: text('uid_validity'),
    /** Highest UID whose message is committed (or recorded as failed) under uid_validity. */
    highestUid: bigint('highest_uid', { mode: 'number' }).notNull().default(0),
    messagesSeen: bigint('messages_seen', { mode: 'number' }).notNull().default(0),
    lastSyncAt: timestamp('last_sync_at', { withTimezone: true }),
    /** Code of the last failed sync of this folder (temporary, auth, permissions, not_found, …). */
    lastErrorCode: text('last_error_code'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.mailboxId, t.path] })],
);

export const emailSyncFailures = pgTable(
  'email_sync_failures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    mailboxId: uuid('mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    folder: text('folder').notNull(),
    uidValidity: text('uid_validity').notNull(),
    uid: bigint('uid', { mode: 'number' }).notNull(),
    messageId: text('message_id'),
    /** 'parse' | 'capture' | 'too_large' | a capture rejection code. */
    code: text('code').notNull(),
    /** Why, without message content. */
    reason: text('reason').notNull(),
    size: integer('size'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('email_sync_failures_key').on(t.mailboxId, t.folder, t.uidValidity, t.uid)],
);
