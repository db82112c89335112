// What the IMAP channel needs from the rest of Rapport, as ports the wiring (src/jobs/email-sync.ts)
// implements with the store and the capture pipeline. The adapter never sees a transaction: it
// hands over a batch (messages + failures + the folder cursor) and the port commits it whole.
import type { InboundMessage } from '../../src/core/inbound-message.js';
import type { EmailErrorCode } from './errors.js';

export interface MailboxSettings {
  /** Rapport's name for the mailbox (`--mailbox NAME`), used in rawRef and progress. */
  name: string;
  host: string;
  port: number;
  /** true: implicit TLS; false: plain connection upgraded with STARTTLS when offered. */
  tls: boolean;
  user: string;
  auth: { kind: 'password'; password: string } | { kind: 'oauth2'; accessToken: string };
  /** Folder paths or special-use names (`\Sent`); empty → INBOX and the \Sent folder. */
  folders: string[];
  /** First-sync window: `90d`, `12w`, `6m`, `1y`, an ISO date or `all`. */
  since: string;
}

export type FolderRole = 'inbox' | 'sent' | 'other';

export interface ResolvedFolder {
  path: string;
  role: FolderRole;
}

export interface FolderCursor {
  uidValidity: string;
  highestUid: number;
}

export interface SyncFailure {
  uid: number;
  messageId: string | null;
  /** 'parse' | 'capture' | 'too_large' | a capture rejection code. */
  code: string;
  reason: string;
  size: number | null;
}

export interface CommitBatch {
  folder: ResolvedFolder;
  messages: { uid: number; message: InboundMessage }[];
  failures: SyncFailure[];
  /** Written in the same transaction as the messages. */
  cursor: FolderCursor;
  /** How many messages of the folder this batch accounts for (stored, known or failed). */
  seen: number;
}

export interface CommitOutcome {
  created: number;
  duplicates: number;
  /** Messages the capture pipeline rejected; they are recorded as failures by the port. */
  rejected: number;
}

export interface EmailSyncPorts {
  /** raw RFC 822 → InboundMessage (src/mail). May throw: the message is then recorded and skipped. */
  parse(raw: Buffer, context: { folder: ResolvedFolder; receivedAt: Date | undefined }): Promise<InboundMessage>;
  /** Which of these Message-ID header values are already stored (as sent by the server, with <>). */
  knownMessageIds(messageIds: string[]): Promise<Set<string>>;
  getCursor(folderPath: string): Promise<FolderCursor | null>;
  /** Messages, failures and cursor in ONE transaction: all of it or none of it. */
  commit(batch: CommitBatch): Promise<CommitOutcome>;
  /** A folder-level failure (connection, permissions…) for `mailbox list`; outside any batch. */
  recordFolderError(folder: ResolvedFolder, code: EmailErrorCode | null): Promise<void>;
}

export interface FolderProgress {
  mailbox: string;
  folder: string;
  done: number;
  total: number;
}

export interface FolderResult {
  path: string;
  role: FolderRole;
  uidValidity: string | null;
  /** The folder's UIDVALIDITY differed from the cursor's: it was re-scanned. */
  uidValidityChanged: boolean;
  /** Messages considered in this pass (new UIDs, or the backfill window). */
  scanned: number;
  /** Bodies downloaded (the rest were already stored, by Message-ID). */
  fetched: number;
  skippedKnown: number;
  created: number;
  duplicates: number;
  failed: number;
  error: { code: EmailErrorCode; message: string } | null;
}

export interface SyncOptions {
  /** Messages per transaction. */
  batchSize: number;
  /** Larger messages are recorded as `too_large` and not downloaded. */
  maxMessageBytes: number;
  /** First-sync window of the mailbox (also used to re-scan after a UIDVALIDITY change). */
  firstSyncSince: string;
  /** Backfill: scan everything since this window, whatever the cursor says (known mail is skipped). */
  backfillSince?: string | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: FolderProgress) => void) | undefined;
  now?: () => Date;
}
