// One pass over a mailbox: connect, find the folders (INBOX, \Sent…), sync each, log out. A folder
// that fails is reported with its code and the others still run, unless the connection is gone.
import type { ImapFlow } from 'imapflow';
import { connectImap, disconnect } from './connect.js';
import { toEmailError, type EmailErrorCode } from './errors.js';
import { resolveFolders } from './folders.js';
import { emptyFolderResult, syncFolder } from './sync-folder.js';
import type { EmailSyncPorts, FolderResult, MailboxSettings, ResolvedFolder, SyncOptions } from './types.js';

export interface MailboxResult {
  name: string;
  folders: FolderResult[];
  error: { code: EmailErrorCode; message: string } | null;
}

export async function syncMailboxOnce(settings: MailboxSettings, ports: EmailSyncPorts, opts: SyncOptions): Promise<MailboxResult> {
  const result: MailboxResult = { name: settings.name, folders: [], error: null };
  let client: ImapFlow;
  try {
    client = await connectImap(settings);
  } catch (e) {
    const err = toEmailError(e);
    result.error = { code: err.code, message: err.message };
    return result;
  }
  try {
    const folders = await resolveFolders(client, settings.folders);
    await syncFolders(client, settings, folders, ports, opts, result.folders);
    const failed = result.folders.find((f) => f.error);
    if (failed?.error && !client.usable) result.error = failed.error;
  } catch (e) {
    const err = toEmailError(e);
    result.error = { code: err.code, message: err.message };
  } finally {
    await disconnect(client);
  }
  return result;
}

/** Syncs folders in order on an open connection; used by the one-off pass and by the watcher. */
export async function syncFolders(
  client: ImapFlow, settings: MailboxSettings, folders: ResolvedFolder[], ports: EmailSyncPorts, opts: SyncOptions,
  results: FolderResult[] = [],
): Promise<FolderResult[]> {
  for (const folder of folders) {
    if (opts.signal?.aborted) break;
    try {
      results.push(await syncFolder(client, settings.name, folder, ports, opts));
    } catch (e) {
      const err = toEmailError(e, `folder ${folder.path}`);
      results.push({ ...emptyFolderResult(folder), error: { code: err.code, message: err.message } });
      await ports.recordFolderError(folder, err.code).catch(() => {});
      // Without a connection the next folders would fail the same way: let the caller reconnect.
      if (!client.usable) throw err;
    }
  }
  return results;
}
