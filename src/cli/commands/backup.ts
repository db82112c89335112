// `rapport backup FILE` and `rapport restore FILE [--force]` (src/store/backup): a consistent
// archive of the whole database while the service runs, and back into an empty one. A progress
// bar on a terminal; a summary (or --json) at the end.
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { restoreBackup } from '../../store/backup/restore-backup.js';
import { writeBackup } from '../../store/backup/write-backup.js';
import { action } from '../runner.js';

function progressBar(verb: string) {
  return new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${verb} [{bar}] {percentage}% | {value}/{total} rows | {table}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
}

const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

export function registerBackup(program: Command): void {
  program
    .command('backup <file>')
    .description('write a consistent backup of the whole database to FILE (while the service runs)')
    .action(
      action<[string]>(async (ctx, io, file) => {
        const bar = process.stderr.isTTY && !io.json ? progressBar('backing up') : null;
        try {
          const result = await writeBackup(ctx.database, file, {
            onProgress: bar
              ? (p) => {
                  if (bar.getTotal() !== p.totalRows) bar.start(p.totalRows, 0, { table: p.table });
                  bar.update(p.doneRows, { table: p.table });
                }
              : undefined,
          });
          bar?.stop();
          const rows = result.manifest.tables.reduce((a, t) => a + t.rows, 0);
          io.print(
            { file: result.file, bytes: result.bytes, tables: result.manifest.tables.map((t) => ({ name: t.name, rows: t.rows, checksum: t.checksum })) },
            () => `backed up ${plural(rows, 'row')} of ${plural(result.manifest.tables.length, 'table')} to ${result.file} (${(result.bytes / 1024).toFixed(1)} KiB)`,
          );
        } finally {
          bar?.stop();
        }
      }),
    );

  program
    .command('restore <file>')
    .description('restore a backup into an empty database, in one transaction, checked against its manifest')
    .option('--force', 'replace everything the database holds')
    .action(
      action<[string, { force?: boolean }]>(async (ctx, io, file, flags) => {
        const bar = process.stderr.isTTY && !io.json ? progressBar('restoring') : null;
        try {
          const result = await restoreBackup(ctx.database, file, {
            force: Boolean(flags.force),
            onProgress: bar
              ? (p) => {
                  if (bar.getTotal() !== p.totalRows) bar.start(p.totalRows, 0, { table: p.table });
                  bar.update(p.doneRows, { table: p.table });
                }
              : undefined,
          });
          bar?.stop();
          io.print(
            { file, rows: result.rows, createdAt: result.manifest.createdAt, source: result.manifest.source, tables: result.manifest.tables.map((t) => ({ name: t.name, rows: t.rows })) },
            () => `restored ${plural(result.rows, 'row')} of ${plural(result.manifest.tables.length, 'table')} from ${file} (taken ${result.manifest.createdAt} on ${result.manifest.source}); counts and checksums verified`,
          );
        } finally {
          bar?.stop();
        }
      }),
    );
}
