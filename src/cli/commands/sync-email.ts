// `rapport sync email --once`: one pass over every mailbox (or --mailbox NAME) and exit — for cron,
// backfills (--since) and tests. Without --once it keeps watching (IDLE) until SIGTERM/SIGINT.
// Progress goes to stderr: a bar on a terminal, a line every few seconds otherwise.
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { SecretBoxError } from '../../core/secret-box.js';
import { runEmailSyncOnce, startEmailSync, type EmailSyncSummary, type FolderProgress } from '../../channels/email.js';
import { action } from '../runner.js';
import { failWith } from './mailbox.js';

interface SyncFlags {
  once?: boolean;
  mailbox?: string;
  since?: string;
}

/** The `sync` group, shared with other channels (`rapport sync …`). */
function syncGroup(program: Command): Command {
  return program.commands.find((c) => c.name() === 'sync') ?? program.command('sync').description('fetch messages from a channel');
}

export function registerSyncEmail(program: Command): void {
  syncGroup(program)
    .command('email')
    .description('capture mail from the configured IMAP mailboxes (--once: one pass, then exit)')
    .option('--once', 'one pass over every folder, then exit (cron, backfill)')
    .option('--mailbox <name>', 'only this mailbox')
    .option('--since <window>', 'backfill: look at everything since 90d, 6m, 1y, a date or all (known mail is skipped)')
    .action(
      action<[SyncFlags]>(
        async (ctx, io, flags) => {
          const abort = new AbortController();
          const interrupt = () => abort.abort();
          process.once('SIGTERM', interrupt);
          process.once('SIGINT', interrupt);
          try {
            if (!flags.once) {
              const service = await startEmailSync(ctx);
              io.note(`watching ${service.mailboxes().length} mailbox(es); Ctrl-C to stop`);
              await new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }));
              await service.stop();
              return 0;
            }
            const progress = io.json ? null : progressReporter();
            let summary: EmailSyncSummary;
            try {
              summary = await runEmailSyncOnce(ctx, { mailbox: flags.mailbox, since: flags.since, onProgress: progress?.update, signal: abort.signal });
            } finally {
              progress?.stop();
            }
            io.print(summary, formatSummary);
            if (abort.signal.aborted) return failWith(io, 'interrupted', 'interrupted: stopped after the last committed batch');
            return summary.errors > 0 ? 1 : 0;
          } catch (e) {
            if (e instanceof SecretBoxError) return failWith(io, e.code, e.message, 2);
            throw e;
          } finally {
            process.off('SIGTERM', interrupt);
            process.off('SIGINT', interrupt);
          }
        },
      ),
    );
}

function progressReporter(): { update: (p: FolderProgress) => void; stop: () => void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: '{folder} [{bar}] {value}/{total} messages | {eta_formatted} left', hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    let current = '';
    return {
      update(p) {
        const key = `${p.mailbox}/${p.folder}`;
        if (key !== current) {
          if (current) bar.stop();
          current = key;
          bar.start(p.total, p.done, { folder: key });
        } else bar.update(p.done);
      },
      stop: () => bar.stop(),
    };
  }
  // Not a terminal (cron, CI, a log file): a line on the first batch, then at most every 5 s.
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (p.total === 0 || (p.done > 0 && p.done < p.total && now - last < 5000 && last !== 0)) return;
      if (p.done === 0) return;
      last = now;
      process.stderr.write(`email ${p.mailbox}/${p.folder}: ${p.done}/${p.total}\n`);
    },
    stop: () => {},
  };
}

function formatSummary(s: EmailSyncSummary): string {
  const lines: string[] = [];
  for (const m of s.mailboxes) {
    if (m.error) lines.push(`${m.name}: failed (${m.error.code}): ${m.error.message}`);
    for (const f of m.folders) {
      const head = `${m.name}/${f.path}${f.role === 'sent' ? ' (sent → outbound)' : ''}`;
      if (f.error) {
        lines.push(`${head}: failed (${f.error.code}): ${f.error.message}`);
        continue;
      }
      lines.push(
        `${head}: ${f.scanned} looked at, ${f.created} captured, ${f.duplicates} already stored, ${f.skippedKnown} skipped by Message-ID, ${f.failed} failed` +
          (f.uidValidityChanged ? ' (UIDVALIDITY changed: re-scanned)' : ''),
      );
    }
  }
  if (s.mailboxes.length === 0) lines.push('no mailbox configured: see "rapport mailbox add --help" or RAPPORT_IMAP_HOST');
  const t = s.totals;
  lines.push(`total: ${t.created} captured, ${t.duplicates + t.skippedKnown} already stored, ${t.failed} failed${s.errors ? `, ${s.errors} error(s)` : ''}`);
  if (t.failed > 0) lines.push('see "rapport mailbox failures NAME" for the messages that failed');
  return lines.join('\n');
}
