// The IMAP email channel: one-off passes (`rapport sync email --once`) and a watcher (IDLE + poll,
// reconnect with backoff). Everything Rapport-side comes in through EmailSyncPorts.
export { syncMailboxOnce, type MailboxResult } from './sync-mailbox.js';
export { watchMailbox, type MailboxWatcher, type WatchOptions } from './watch-mailbox.js';
export { connectImap, disconnect } from './connect.js';
export { EmailSyncError, classifyEmailError, toEmailError, emailErrorCodes, type EmailErrorCode } from './errors.js';
export { sinceDate, isValidSince } from './since.js';
export { defaultFolders, resolveFolders } from './folders.js';
export type {
  CommitBatch, CommitOutcome, EmailSyncPorts, FolderCursor, FolderProgress, FolderResult, MailboxSettings,
  ResolvedFolder, SyncFailure, SyncOptions,
} from './types.js';
