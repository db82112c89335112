// `rapport ingest eml FILE|DIR …`: backfill from .eml files (an export, a Maildir copy, a support
// archive). Progress bar on a terminal, a summary at the end; exit 1 when some files failed.
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { ingestEmlFiles } from '../../channels/email.js';
import { validationError } from '../../core/errors.js';
import type { Direction } from '../../core/inbound-message.js';
import { countEmlFiles } from '../../mail/eml-files.js';
import { formatIngestSummary, IngestStopped } from '../../mail/ingest-eml.js';
import { action } from '../runner.js';

interface IngestFlags {
  direction?: string;
  ownAddress?: string[];
  batchSize?: string;
}

export function registerIngest(program: Command): void {
  const group = program.command('ingest').description('capture messages from files');
  group
    .command('eml <paths...>')
    .description('capture .eml files (directories are read recursively); a file that fails is reported and skipped')
    .option('--direction <direction>', 'inbound or outbound (default: decided per message)')
    .option('--own-address <email...>', 'our own addresses: their mail is outbound')
    .option('--batch-size <n>', 'messages per inbox append', '200')
    .action(
      action<[string[], IngestFlags]>(async (ctx, io, paths, flags) => {
        const direction = parseDirection(flags.direction);
        const batchSize = Number(flags.batchSize ?? 200);
        const bar = process.stderr.isTTY && !io.json ? progressBar() : null;
        if (bar) bar.start(await countEmlFiles(paths), 0);
        try {
          const summary = await ingestEmlFiles(ctx, paths, {
            direction,
            ownAddresses: flags.ownAddress,
            batchSize: Number.isInteger(batchSize) && batchSize > 0 ? batchSize : 200,
            onProgress: bar ? (done) => bar.update(done) : undefined,
          });
          bar?.stop();
          io.print(summary, formatIngestSummary);
          return summary.failed > 0 ? 1 : 0;
        } catch (e) {
          // Stopped part-way (the database went away): the summary of what was done, then the error.
          if (!(e instanceof IngestStopped)) throw e;
          bar?.stop();
          io.print(e.summary, formatIngestSummary);
          throw e.cause;
        } finally {
          bar?.stop();
        }
      }),
    );
}

function parseDirection(value: string | undefined): Direction | undefined {
  if (value === undefined) return undefined;
  if (value === 'inbound' || value === 'outbound') return value;
  throw validationError(`--direction must be inbound or outbound, not "${value}"`, [{ field: 'direction', message: 'inbound or outbound' }]);
}

function progressBar() {
  return new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'ingesting [{bar}] {percentage}% | {value}/{total} files | {eta_formatted} left',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
}
