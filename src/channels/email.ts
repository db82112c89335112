// Wires the IMAP channel (adapters/email-imap) to Rapport: mailboxes from the environment and the
// database, the parser (src/mail), and the inbox, which takes a batch of messages together with
// the folder cursor in one transaction; the capture worker takes it from there.
// `runEmailSyncOnce` is `rapport sync email --once`; `startEmailSync` is the IDLE loop of `serve`.
import {
  connectImap, disconnect, resolveFolders, syncMailboxOnce, toEmailError, watchMailbox, isValidSince, type CommitBatch, type EmailSyncPorts, type FolderProgress,
  type MailboxResult, type MailboxSettings, type MailboxWatcher, type SyncFailure,
} from '../../adapters/email-imap/index.js';
import type { AppContext } from '../context.js';
import { parseThreadsOf } from '../config.js';
import { notFound, validationError } from '../core/errors.js';
import { channelsOf, type Channels } from './index.js';
import { mailboxLocks } from './mailbox-locks.js';
import type { AppendResult } from './inbox.js';
import { ingestEml, type IngestOptions, type IngestSummary } from '../mail/ingest-eml.js';
import { canonicalMessageId } from '../mail/message-id.js';
import { secretBoxFor } from '../secret-key.js';
import {
  getFolderCursor, listMailboxes, recordFolderError, recordSyncFailures, storedEmailIds, upsertEnvMailbox,
  writeFolderCursor, type MailboxRow,
} from '../store/mailboxes-repo.js';

export { isValidSince, type FolderProgress, type MailboxSettings } from '../../adapters/email-imap/index.js';

export interface ConfiguredMailbox {
  row: MailboxRow;
  /** Reads the settings (and opens the sealed secret) at connect time. */
  load(): Promise<MailboxSettings>;
}

/** The environment mailbox (RAPPORT_IMAP_*), kept as a row so its cursors have an owner. */
async function envMailbox(ctx: AppContext): Promise<ConfiguredMailbox | null> {
  const c = ctx.config;
  if (!c.RAPPORT_IMAP_HOST) return null;
  const issues = [];
  if (!c.RAPPORT_IMAP_USER) issues.push({ field: 'RAPPORT_IMAP_USER', message: 'required with RAPPORT_IMAP_HOST' });
  if (!c.RAPPORT_IMAP_PASSWORD && !c.RAPPORT_IMAP_ACCESS_TOKEN) {
    issues.push({ field: 'RAPPORT_IMAP_PASSWORD', message: 'RAPPORT_IMAP_PASSWORD or RAPPORT_IMAP_ACCESS_TOKEN is required with RAPPORT_IMAP_HOST' });
  }
  if (!isValidSince(c.RAPPORT_IMAP_SINCE)) issues.push({ field: 'RAPPORT_IMAP_SINCE', message: 'use 90d, 12w, 6m, 1y, a date or all' });
  if (issues.length > 0) throw validationError('the mailbox in the environment is incomplete', issues);
  const oauth = Boolean(c.RAPPORT_IMAP_ACCESS_TOKEN);
  const row = await upsertEnvMailbox(ctx.database.db, {
    name: c.RAPPORT_IMAP_NAME, host: c.RAPPORT_IMAP_HOST, port: c.RAPPORT_IMAP_PORT, tls: c.RAPPORT_IMAP_TLS,
    user: c.RAPPORT_IMAP_USER!, authKind: oauth ? 'oauth2' : 'password', folders: c.RAPPORT_IMAP_FOLDERS, since: c.RAPPORT_IMAP_SINCE,
  });
  const auth: MailboxSettings['auth'] = oauth
    ? { kind: 'oauth2', accessToken: c.RAPPORT_IMAP_ACCESS_TOKEN! }
    : { kind: 'password', password: c.RAPPORT_IMAP_PASSWORD! };
  return { row, load: async () => settingsOf(row, auth) };
}

function settingsOf(row: MailboxRow, auth: MailboxSettings['auth']): MailboxSettings {
  return { name: row.name, host: row.host, port: row.port, tls: row.tls, user: row.user, auth, folders: row.folders, since: row.since };
}

/** Every enabled mailbox (the environment's first), or just the one named. */
export async function configuredMailboxes(ctx: AppContext, name?: string): Promise<ConfiguredMailbox[]> {
  const fromEnv = await envMailbox(ctx);
  const rows = await listMailboxes(ctx.database.db);
  const all: ConfiguredMailbox[] = fromEnv ? [fromEnv] : [];
  for (const row of rows) {
    if (row.source === 'env' || !row.enabled) continue; // a stale env row (variables since removed) is not synced
    all.push({
      row,
      load: async () => {
        const secret = secretBoxFor(ctx.config, ctx.database).open(row.secret ?? '');
        return settingsOf(row, row.authKind === 'oauth2' ? { kind: 'oauth2', accessToken: secret } : { kind: 'password', password: secret });
      },
    });
  }
  if (name === undefined) return all;
  const picked = all.filter((m) => m.row.name === name);
  if (picked.length === 0) throw notFound('mailbox', name);
  return picked;
}

/** The ports the adapter runs on, bound to one mailbox. */
export function emailSyncPorts(ctx: AppContext, mailbox: MailboxRow, channels: Channels = channelsOf(ctx)): EmailSyncPorts {
  const db = ctx.database.db;
  const own = mailbox.user.includes('@') ? [mailbox.user] : [];
  return {
    // In worker threads: a first sync or backfill parses a batch on every core.
    parse: (raw, { folder, receivedAt }) =>
      channels.parser().parse(raw, { direction: folder.role === 'sent' ? 'outbound' : undefined, ownAddresses: own, receivedAt }),
    async knownMessageIds(ids) {
      const canonical = new Map<string, string>();
      for (const id of ids) {
        const key = canonicalMessageId(id);
        if (key) canonical.set(key, id);
      }
      const stored = await storedEmailIds(db, [...canonical.keys()]);
      return new Set([...stored].map((key) => canonical.get(key)!));
    },
    getCursor: (path) => getFolderCursor(db, mailbox.id, path),
    async commit(batch: CommitBatch) {
      // The messages, their failures and the cursor commit together: a kill at any point leaves all
      // of it or none, and the next pass starts from the cursor.
      const appended = await db.transaction(async (tx) => {
        const results = await channels.inbox.appendAll(batch.messages.map((m) => m.message), tx);
        await recordSyncFailures(tx, mailbox.id, batch.folder.path, batch.cursor.uidValidity, [...batch.failures, ...rejections(batch, results)]);
        await writeFolderCursor(tx, mailbox.id, batch.folder, batch.cursor, batch.seen);
        return results;
      });
      if (appended.some((r) => r.status === 'accepted')) channels.worker.wake();
      return {
        created: appended.filter((r) => r.status === 'accepted').length,
        duplicates: appended.filter((r) => r.status === 'duplicate').length,
        rejected: appended.filter((r) => r.status === 'rejected').length,
      };
    },
    recordFolderError: (folder, code) => recordFolderError(db, mailbox.id, folder, code),
  };
}

/** Messages the inbox refused (invalid): recorded, with the reason, in the same transaction. */
function rejections(batch: CommitBatch, results: AppendResult[]): SyncFailure[] {
  return results.flatMap((r, i) => {
    if (r.status !== 'rejected') return [];
    const item = batch.messages[i]!;
    return [{ uid: item.uid, messageId: item.message.externalId, code: r.error.code, reason: r.error.message, size: null }];
  });
}

export interface EmailSyncSummary {
  mailboxes: MailboxResult[];
  totals: { scanned: number; fetched: number; created: number; duplicates: number; skippedKnown: number; failed: number };
  errors: number;
}

export async function runEmailSyncOnce(
  ctx: AppContext,
  opts: { mailbox?: string | undefined; since?: string | undefined; onProgress?: (p: FolderProgress) => void; signal?: AbortSignal } = {},
): Promise<EmailSyncSummary> {
  if (opts.since !== undefined && !isValidSince(opts.since)) {
    throw validationError('invalid --since', [{ field: 'since', message: 'use 90d, 12w, 6m, 1y, a date (2026-01-31) or all' }]);
  }
  const mailboxes = await configuredMailboxes(ctx, opts.mailbox);
  // Open every secret first: a wrong RAPPORT_SECRET_KEY fails before any work starts.
  const settingsList = await Promise.all(mailboxes.map((m) => m.load()));
  const channels = channelsOf(ctx);
  const results: MailboxResult[] = [];
  for (const [i, mailbox] of mailboxes.entries()) {
    if (opts.signal?.aborted) break;
    const settings = settingsList[i]!;
    results.push(
      await syncMailboxOnce(settings, emailSyncPorts(ctx, mailbox.row, channels), {
        ...syncOptions(ctx, mailbox.row),
        backfillSince: opts.since,
        onProgress: opts.onProgress,
        signal: opts.signal,
      }),
    );
  }
  // A one-shot sync captures what it accepted before it returns.
  await channels.worker.drain();
  return summarize(results);
}

function syncOptions(ctx: AppContext, row: MailboxRow) {
  return {
    batchSize: ctx.config.RAPPORT_IMAP_BATCH_SIZE,
    maxMessageBytes: Math.round(ctx.config.RAPPORT_IMAP_MAX_MESSAGE_MB * 1024 * 1024),
    firstSyncSince: row.since,
  };
}

export function summarize(mailboxes: MailboxResult[]): EmailSyncSummary {
  const totals = { scanned: 0, fetched: 0, created: 0, duplicates: 0, skippedKnown: 0, failed: 0 };
  let errors = 0;
  for (const m of mailboxes) {
    if (m.error) errors += 1;
    for (const f of m.folders) {
      totals.scanned += f.scanned;
      totals.fetched += f.fetched;
      totals.created += f.created;
      totals.duplicates += f.duplicates;
      totals.skippedKnown += f.skippedKnown;
      totals.failed += f.failed;
      if (f.error) errors += 1;
    }
  }
  return { mailboxes, totals, errors };
}

export interface EmailSyncService {
  /** Names of the mailboxes being watched. */
  mailboxes(): string[];
  /** Stops every watcher after its current batch and logs out. */
  stop(): Promise<void>;
}

export interface StartEmailSyncOptions {
  pollMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** How often the mailbox list is re-read (mailboxes added or removed while running). */
  refreshMs?: number;
  /** How often a mailbox another instance watches is asked for again (a takeover's delay). */
  standbyMs?: number;
}

/**
 * Watches every configured mailbox: IDLE + poll, reconnect with backoff. With several instances on
 * one database, each mailbox is watched by one of them (a lock per mailbox); the others stand by
 * and take over within `standbyMs` once it stops.
 */
export async function startEmailSync(ctx: AppContext, opts: StartEmailSyncOptions = {}): Promise<EmailSyncService> {
  const pollMs = opts.pollMs ?? ctx.config.RAPPORT_IMAP_POLL_SECONDS * 1000;
  const watchers = new Map<string, { watcher: MailboxWatcher; updatedAt: number; name: string }>();
  /** Mailboxes another instance watches (by id). */
  const standby = new Set<string>();
  const channels = channelsOf(ctx);
  const locks = mailboxLocks(ctx.database);
  // The watchers append; the capture worker takes it from the inbox.
  await channels.start();
  const log = ctx.log.child({ component: 'email-sync' });

  const stopWatcher = async (id: string) => {
    const w = watchers.get(id);
    if (!w) return;
    watchers.delete(id);
    await w.watcher.stop();
  };

  const refresh = async () => {
    const mailboxes = await configuredMailboxes(ctx);
    const wanted = new Set(mailboxes.map((m) => m.row.id));
    for (const id of standby) if (!wanted.has(id)) standby.delete(id);
    for (const [id, w] of watchers) {
      const current = mailboxes.find((m) => m.row.id === id);
      if (!wanted.has(id) || (current && current.row.updatedAt.getTime() !== w.updatedAt)) {
        await stopWatcher(id);
        if (!wanted.has(id)) await locks.release(id);
      }
    }
    for (const mailbox of mailboxes) {
      if (watchers.has(mailbox.row.id)) continue;
      const name = mailbox.row.name;
      const mine = await locks.take(mailbox.row.id).catch((e: unknown) => {
        log.warn({ mailbox: name, code: (e as { code?: string }).code }, 'mailbox lock not available; trying again');
        return false;
      });
      if (!mine) {
        if (!standby.has(mailbox.row.id)) log.info({ mailbox: name }, 'mailbox watched by another instance; standing by');
        standby.add(mailbox.row.id);
        continue;
      }
      if (standby.delete(mailbox.row.id)) log.info({ mailbox: name }, 'mailbox taken over from another instance');
      const watcher = watchMailbox(mailbox.load, emailSyncPorts(ctx, mailbox.row, channels), {
        ...syncOptions(ctx, mailbox.row),
        pollMs,
        backoff: opts.backoff ?? { initialMs: 1000, maxMs: 5 * 60_000 },
        onConnected: () => log.info({ mailbox: name }, 'imap connected'),
        onPass: ({ folders, trigger }) => {
          const s = summarize([{ name, folders, error: null }]);
          if (s.totals.scanned > 0 || s.errors > 0) log.info({ mailbox: name, trigger, ...s.totals, errors: s.errors }, 'email sync pass');
        },
        onError: (err, retryInMs) => log.warn({ mailbox: name, code: err.code, retryInMs }, 'imap connection failed; retrying'),
      });
      watchers.set(mailbox.row.id, { watcher, updatedAt: mailbox.row.updatedAt.getTime(), name });
    }
  };

  let refreshing = Promise.resolve();
  const queue = (work: () => Promise<void>) => {
    refreshing = refreshing.then(work).catch((e: unknown) => log.warn({ code: (e as { code?: string }).code }, 'mailbox refresh failed'));
  };
  // The locks went with their connection: another instance may watch these mailboxes now.
  locks.onLost(() =>
    queue(async () => {
      log.warn('mailbox locks lost with their connection; watching again once they are taken');
      for (const id of [...watchers.keys()]) {
        standby.add(id);
        await stopWatcher(id);
      }
    }),
  );
  await refresh();
  const timer = setInterval(() => queue(refresh), opts.refreshMs ?? Math.max(pollMs, 30_000));
  timer.unref();
  const standbyTimer = setInterval(() => {
    if (standby.size > 0) queue(refresh);
  }, opts.standbyMs ?? 10_000);
  standbyTimer.unref();

  return {
    mailboxes: () => [...watchers.values()].map((w) => w.name),
    async stop() {
      clearInterval(timer);
      clearInterval(standbyTimer);
      await refreshing;
      const all = [...watchers.values()];
      watchers.clear();
      await Promise.all(all.map((w) => w.watcher.stop()));
      await locks.close();
    },
  };
}

/**
 * `rapport ingest eml`: files parsed in worker threads, appended to the inbox in batches, captured
 * by the capture worker (started here for the run).
 */
export async function ingestEmlFiles(ctx: AppContext, paths: readonly string[], opts: Omit<IngestOptions, 'parallel'> = {}): Promise<IngestSummary> {
  const channels = channelsOf(ctx);
  await channels.start();
  const parser = channels.parser();
  return ingestEml(
    {
      parse: (raw, options) => parser.parse(raw, options),
      append: (messages) => channels.inbox.appendAll(messages),
      settle: (ids) => channels.worker.settle(ids, 10 * 60_000),
    },
    paths,
    { ...opts, parallel: Math.max(2, parseThreadsOf(ctx.config) * 4) },
  );
}

/** Logs in with these settings and lists the folders that would be read; vendor errors leave as an EmailSyncError code. */
export async function checkMailbox(settings: MailboxSettings, folders: string[]): Promise<{ path: string; role: string }[] | { code: string; message: string }> {
  try {
    const client = await connectImap(settings);
    try {
      return await resolveFolders(client, folders);
    } finally {
      await disconnect(client);
    }
  } catch (e) {
    const err = toEmailError(e);
    return { code: err.code, message: err.message };
  }
}
