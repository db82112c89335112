// The long-running side: keep a connection, sync every folder, then IDLE on INBOX and sync again
// when the server announces new mail (`exists`), or when the poll interval passes (servers without
// IDLE, and the folders we are not idling on, like Sent). A dropped connection reconnects with
// exponential backoff; settings are re-read on every connect, so a fixed password takes effect.
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { connectImap, disconnect } from './connect.js';
import { EmailSyncError, toEmailError } from './errors.js';
import { resolveFolders } from './folders.js';
import { syncFolders } from './sync-mailbox.js';
import type { EmailSyncPorts, FolderResult, MailboxSettings, SyncOptions } from './types.js';

export interface WatchEvents {
  onPass?: (result: { mailbox: string; folders: FolderResult[]; trigger: 'connect' | 'idle' | 'poll' }) => void;
  onError?: (error: EmailSyncError, retryInMs: number) => void;
  onConnected?: (mailbox: string) => void;
}

export interface WatchOptions extends Omit<SyncOptions, 'signal'>, WatchEvents {
  pollMs: number;
  backoff: BackoffOptions;
}

export interface MailboxWatcher {
  /** Stops after the current batch commits (never mid-transaction) and logs out. */
  stop(): Promise<void>;
  readonly done: Promise<void>;
}

export function watchMailbox(loadSettings: () => Promise<MailboxSettings>, ports: EmailSyncPorts, opts: WatchOptions): MailboxWatcher {
  const abort = new AbortController();
  const stopped = new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }));
  const syncOpts: SyncOptions = { ...opts, signal: abort.signal };

  const sleep = (ms: number) =>
    Promise.race([new Promise<void>((r) => setTimeout(r, ms).unref()), stopped]);

  async function session(): Promise<void> {
    const settings = await loadSettings();
    const client = await connectImap(settings);
    try {
      opts.onConnected?.(settings.name);
      const folders = await resolveFolders(client, settings.folders);
      const inbox = folders.find((f) => f.role === 'inbox') ?? folders[0];
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      let wake: (() => void) | null = null;
      let pending: 'idle' | 'poll' | null = null;
      const trigger = (why: 'idle' | 'poll') => {
        pending ??= why;
        wake?.();
      };
      client.on('exists', () => trigger('idle'));
      const poll = setInterval(() => trigger('poll'), opts.pollMs);
      poll.unref();
      try {
        let why: 'connect' | 'idle' | 'poll' = 'connect';
        for (;;) {
          const results = await syncFolders(client, settings, folders, ports, syncOpts);
          opts.onPass?.({ mailbox: settings.name, folders: results, trigger: why });
          if (abort.signal.aborted) return;
          // Select INBOX again and IDLE on it until the next command.
          if (inbox) {
            await client.mailboxOpen(inbox.path, { readOnly: true });
            // Start IDLE now rather than after ImapFlow's 15 s auto-IDLE delay; the next command ends it.
            void client.idle().catch(() => {});
          }
          if (pending === null) {
            await Promise.race([new Promise<void>((r) => (wake = r)), closed, stopped]);
            wake = null;
          }
          if (abort.signal.aborted) return;
          if (!client.usable) throw new EmailSyncError('temporary', 'IMAP connection closed by the server');
          why = pending ?? 'poll';
          pending = null;
        }
      } finally {
        clearInterval(poll);
      }
    } finally {
      await disconnect(client);
    }
  }

  const done = (async () => {
    let attempt = 0;
    while (!abort.signal.aborted) {
      const started = Date.now();
      try {
        await session();
      } catch (e) {
        if (abort.signal.aborted) break;
        const err = toEmailError(e);
        // A session that ran a while was healthy: start the backoff over.
        if (Date.now() - started > opts.backoff.maxMs) attempt = 0;
        const delay = backoffDelay(attempt++, err.code, opts.backoff);
        opts.onError?.(err, delay);
        await sleep(delay);
      }
    }
  })();

  return {
    done,
    async stop() {
      abort.abort();
      await done;
    },
  };
}

