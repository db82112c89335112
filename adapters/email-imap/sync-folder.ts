// One pass over one folder. Resumable by construction: the cursor (UIDVALIDITY + highest committed
// UID) is written in the same transaction as the messages up to that UID, so a kill at any point
// leaves either the whole batch with its cursor or neither. Headers come first (Message-ID, size)
// so bodies of messages already stored are never downloaded; bodies then stream in batches, which
// bounds memory however large the folder is.
import type { ImapFlow } from 'imapflow';
import { planBatches, type HeaderRow } from './batches.js';
import { EmailSyncError, toEmailError } from './errors.js';
import { sinceDate } from './since.js';
import type {
  CommitBatch, EmailSyncPorts, FolderResult, ResolvedFolder, SyncFailure, SyncOptions,
} from './types.js';
import { toUidSet } from './uid-set.js';

/** Header rows are read this many UIDs at a time. */
const HEADER_WINDOW = 500;
/** A batch holds about this many bytes of bodies (plus one message, however large). */
const BATCH_BYTES = 16 * 1024 * 1024;

export function emptyFolderResult(folder: ResolvedFolder): FolderResult {
  return {
    path: folder.path, role: folder.role, uidValidity: null, uidValidityChanged: false,
    scanned: 0, fetched: 0, skippedKnown: 0, created: 0, duplicates: 0, failed: 0, error: null,
  };
}

export async function syncFolder(
  client: ImapFlow,
  mailboxName: string,
  folder: ResolvedFolder,
  ports: EmailSyncPorts,
  opts: SyncOptions,
): Promise<FolderResult> {
  const result = emptyFolderResult(folder);
  let box;
  try {
    box = await client.mailboxOpen(folder.path, { readOnly: true });
  } catch (e) {
    throw toEmailError(e, `opening folder ${folder.path}`);
  }
  const uidValidity = box.uidValidity.toString();
  result.uidValidity = uidValidity;
  const cursor = await ports.getCursor(folder.path);
  const sameEpoch = cursor !== null && cursor.uidValidity === uidValidity;
  result.uidValidityChanged = cursor !== null && !sameEpoch && cursor.highestUid > 0;
  const committed = sameEpoch ? cursor.highestUid : 0;

  const uids = await candidateUids(client, committed, sameEpoch, box.exists, opts);
  result.scanned = uids.length;
  const report = (done: number) => opts.onProgress?.({ mailbox: mailboxName, folder: folder.path, done, total: uids.length });
  report(0);

  let done = 0;
  let highest = committed;
  let commits = 0;
  // A batch is downloaded and parsed while the one before it commits; commits stay in UID order,
  // one at a time (each moves the cursor), and a new header window starts after the last commit.
  let committing: Promise<void> | null = null;
  const settle = async () => {
    const c = committing;
    committing = null;
    if (c) await c;
  };
  for (let i = 0; i < uids.length; i += HEADER_WINDOW) {
    await settle();
    if (opts.signal?.aborted) break;
    const window = uids.slice(i, i + HEADER_WINDOW);
    const rows = await readHeaders(client, window);
    const known = await ports.knownMessageIds(rows.flatMap((r) => (r.messageId ? [r.messageId] : [])));
    for (const row of rows) row.known = row.messageId !== null && known.has(row.messageId);

    for (const batch of planBatches(rows, opts.batchSize, BATCH_BYTES)) {
      if (opts.signal?.aborted) break;
      // The server renumbered the folder under us: these UIDs mean other messages now. Stop; the
      // next pass sees the new UIDVALIDITY and re-scans.
      if (client.mailbox && client.mailbox.uidValidity.toString() !== uidValidity) {
        await settle();
        throw new EmailSyncError('cursor', `UIDVALIDITY of ${folder.path} changed during the pass`);
      }
      const last = batch[batch.length - 1]!.uid;
      // A backfill walks below the cursor; the cursor itself never moves back.
      highest = Math.max(highest, last);
      let prepared: PreparedBatch;
      try {
        prepared = await prepareBatch(client, mailboxName, folder, batch, { uidValidity, highestUid: highest }, ports, opts);
      } catch (e) {
        await settle().catch(() => {});
        throw e;
      }
      await settle();
      const commit = commitPrepared(prepared, ports).then((outcome) => {
        result.fetched += outcome.fetched;
        result.skippedKnown += batch.filter((r) => r.known).length;
        result.created += outcome.created;
        result.duplicates += outcome.duplicates;
        result.failed += outcome.failed;
        done += batch.length;
        commits += 1;
        report(done);
      });
      commit.catch(() => {}); // awaited by settle(); a failure surfaces there
      committing = commit;
    }
  }
  await settle();
  if (!opts.signal?.aborted && done !== uids.length) report(uids.length); // some were expunged meanwhile
  // Nothing new: still record the pass (last sync time, a new UIDVALIDITY, a cleared error).
  if (commits === 0 && !opts.signal?.aborted) {
    await ports.commit({ folder, messages: [], failures: [], cursor: { uidValidity, highestUid: highest }, seen: 0 });
  }
  return result;
}

/** UIDs to look at, ascending: new ones above the cursor, or the first-sync / backfill window. */
async function candidateUids(
  client: ImapFlow, committed: number, sameEpoch: boolean, exists: number, opts: SyncOptions,
): Promise<number[]> {
  if (exists === 0) return [];
  const window = opts.backfillSince ?? (sameEpoch && committed > 0 ? null : undefined);
  let found: number[] | false | undefined;
  if (window === null) {
    found = await client.search({ uid: `${committed + 1}:*` }, { uid: true });
  } else {
    const since = sinceDate(window ?? opts.firstSyncSince, opts.now?.() ?? new Date());
    found = await client.search(since ? { since } : { all: true }, { uid: true });
  }
  const lowest = opts.backfillSince ? 0 : committed;
  // `n:*` returns the last message even when its UID is below n: filter.
  return (found || []).filter((uid) => uid > lowest).sort((a, b) => a - b);
}

async function readHeaders(client: ImapFlow, uids: number[]): Promise<HeaderRow[]> {
  const rows: HeaderRow[] = [];
  for await (const m of client.fetch(toUidSet(uids), { uid: true, envelope: true, size: true, internalDate: true }, { uid: true })) {
    const messageId = m.envelope?.messageId?.trim() || null;
    const receivedAt = m.internalDate ? new Date(m.internalDate) : undefined;
    rows.push({ uid: m.uid, messageId, size: m.size ?? 0, known: false, receivedAt });
  }
  // A message expunged since the search simply does not come back.
  return rows.sort((a, b) => a.uid - b.uid);
}

interface BatchOutcome {
  fetched: number;
  created: number;
  duplicates: number;
  failed: number;
}

interface PreparedBatch {
  batch: CommitBatch;
  messageIds: Map<number, string | null>;
  fetched: number;
}

/** Downloads and parses a batch's new messages (nothing is written yet). */
async function prepareBatch(
  client: ImapFlow,
  mailboxName: string,
  folder: ResolvedFolder,
  rows: HeaderRow[],
  cursor: { uidValidity: string; highestUid: number },
  ports: EmailSyncPorts,
  opts: SyncOptions,
): Promise<PreparedBatch> {
  const failures: SyncFailure[] = [];
  const wanted = rows.filter((r) => !r.known);
  const tooLarge = wanted.filter((r) => r.size > opts.maxMessageBytes);
  for (const r of tooLarge) {
    failures.push({
      uid: r.uid, messageId: r.messageId, code: 'too_large', size: r.size,
      reason: `message is ${r.size} bytes, over the ${opts.maxMessageBytes}-byte limit (RAPPORT_IMAP_MAX_MESSAGE_MB)`,
    });
  }
  const download = wanted.filter((r) => r.size <= opts.maxMessageBytes);
  // Each message is handed to the parser as it arrives (the ports may parse on several threads), so
  // parsing overlaps the download; results are kept in UID order.
  const parseOne = async (r: HeaderRow, raw: Buffer) => {
    try {
      const message = await ports.parse(raw, { folder, receivedAt: r.receivedAt });
      if (folder.role === 'sent') message.directionHint = 'outbound';
      message.rawRef = `imap:${mailboxName}/${folder.path};UIDVALIDITY=${cursor.uidValidity};UID=${r.uid}`;
      return { uid: r.uid, message };
    } catch (e) {
      failures.push({ uid: r.uid, messageId: r.messageId, code: 'parse', reason: reasonOf(e), size: raw.length });
      return null;
    }
  };
  const byUid = new Map(download.map((r) => [r.uid, r]));
  const parsing = new Map<number, ReturnType<typeof parseOne>>();
  if (download.length > 0) {
    try {
      for await (const m of client.fetch(toUidSet(download.map((r) => r.uid)), { uid: true, source: true }, { uid: true })) {
        const row = byUid.get(m.uid);
        if (m.source && row && !parsing.has(m.uid)) parsing.set(m.uid, parseOne(row, m.source));
      }
    } catch (e) {
      throw toEmailError(e, `fetching messages from ${folder.path}`);
    }
  }
  // A message expunged between header and body fetch never arrives: nothing to keep.
  const parsed = await Promise.all(download.flatMap((r) => parsing.get(r.uid) ?? []));
  const messages: CommitBatch['messages'] = parsed.filter((p): p is { uid: number; message: CommitBatch['messages'][number]['message'] } => p !== null);
  failures.sort((a, b) => a.uid - b.uid);
  const fetched = parsing.size;

  const batch: CommitBatch = { folder, messages, failures, cursor, seen: rows.length };
  return { batch, messageIds: new Map(rows.map((r) => [r.uid, r.messageId])), fetched };
}

async function commitPrepared(prepared: PreparedBatch, ports: EmailSyncPorts): Promise<BatchOutcome> {
  const outcome = await commitOrSplit(prepared.batch, prepared.messageIds, ports);
  return {
    fetched: prepared.fetched,
    created: outcome.created,
    duplicates: outcome.duplicates,
    failed: prepared.batch.failures.length + outcome.failed,
  };
}

/**
 * Commits the batch; if the transaction fails as a whole, commits message by message so one bad
 * message is recorded and skipped instead of stopping the folder. If even recording a failure
 * fails, the store itself is down: the error goes up and the cursor stays where it was.
 */
async function commitOrSplit(
  batch: CommitBatch, messageIds: Map<number, string | null>, ports: EmailSyncPorts,
): Promise<{ created: number; duplicates: number; failed: number }> {
  try {
    const o = await ports.commit(batch);
    return { created: o.created, duplicates: o.duplicates, failed: o.rejected };
  } catch (batchError) {
    if (batch.messages.length === 0) throw toEmailError(batchError, 'committing a batch');
  }
  const total = { created: 0, duplicates: 0, failed: 0 };
  const items = [
    ...batch.messages.map((m) => ({ uid: m.uid, message: m, failure: null as SyncFailure | null })),
    ...batch.failures.map((f) => ({ uid: f.uid, message: null, failure: f })),
  ].sort((a, b) => a.uid - b.uid);
  let seen = 0;
  for (const [index, item] of items.entries()) {
    const isLast = index === items.length - 1;
    // Until the last item, the cursor stops at this UID: later messages of the batch are not in yet.
    const single: CommitBatch = {
      folder: batch.folder,
      messages: item.message ? [item.message] : [],
      failures: item.failure ? [item.failure] : [],
      cursor: isLast ? batch.cursor : { uidValidity: batch.cursor.uidValidity, highestUid: item.uid },
      seen: isLast ? batch.seen - seen : 1,
    };
    seen += single.seen;
    try {
      const o = await ports.commit(single);
      total.created += o.created;
      total.duplicates += o.duplicates;
      total.failed += o.rejected + single.failures.length;
    } catch (e) {
      if (!item.message) throw toEmailError(e, 'recording a failed message');
      const failure: SyncFailure = { uid: item.uid, messageId: messageIds.get(item.uid) ?? null, code: 'capture', reason: reasonOf(e), size: null };
      try {
        await ports.commit({ ...single, messages: [], failures: [failure] });
      } catch (again) {
        throw toEmailError(again, 'recording a failed message'); // the store is down: stop here
      }
      total.failed += 1;
    }
  }
  return total;
}

function reasonOf(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  const message = e instanceof Error ? e.message : String(e);
  // Reasons are stored and shown; keep them short and free of message content.
  return `${typeof code === 'string' ? `${code}: ` : ''}${message}`.slice(0, 500);
}
