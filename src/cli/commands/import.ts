// `rapport import customers|orders FILE.csv`: streams the file into the database, with a progress
// bar on a terminal and a summary at the end. Exit code 0: every row imported; 1: some rows were
// rejected (the others are imported); 2: the file was refused before anything was written.
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { importCustomers } from '../../importing/import-customers.js';
import { importOrders } from '../../importing/import-orders.js';
import { formatSummary, type ImportSummary } from '../../importing/import-summary.js';
import type { ImportDeps, ImportOptions } from '../../importing/run-import.js';
import { action, commandGroup } from '../runner.js';

interface ImportFlags {
  encoding?: string;
  batchSize?: string;
}

type Importer = (deps: ImportDeps, path: string, opts: ImportOptions) => Promise<ImportSummary>;

export function registerImport(program: Command): void {
  const group = commandGroup(program, 'import', 'import customers or orders from a CSV file');
  const add = (kind: 'customers' | 'orders', run: Importer, description: string) =>
    group
      .command(`${kind} <file>`)
      .description(description)
      .option('--encoding <encoding>', 'file encoding: utf-8, gb18030, gbk, big5, utf-16le, utf-16be (default: detected)')
      .option('--batch-size <rows>', 'rows per transaction', '500')
      .action(
        action<[string, ImportFlags]>(async (ctx, io, file, flags) => {
          const batchSize = Number(flags.batchSize ?? 500);
          const bar = process.stderr.isTTY ? progressBar(kind) : null;
          try {
            const summary = await run({ db: ctx.database.db, defaultRegion: ctx.config.RAPPORT_DEFAULT_REGION }, file, {
              encoding: flags.encoding,
              batchSize: Number.isInteger(batchSize) && batchSize > 0 ? batchSize : 500,
              onProgress: bar
                ? (done, total) => {
                    if (bar.getTotal() !== total) bar.start(total, 0);
                    bar.update(done);
                  }
                : undefined,
            });
            bar?.stop();
            // Many customers and their orders may have changed.
            await ctx.shared.cards.forgetAll();
            io.print(summary, formatSummary);
            return summary.rejected > 0 ? 1 : 0;
          } finally {
            bar?.stop();
          }
        }),
      );
  add('customers', importCustomers, 'create or update customers: name, emails, phones, company, domains, tags, owner, external_id');
  add('orders', importOrders, 'create or update orders: customer (external id or email), external_id, amount, currency, status, ordered_at');
}

function progressBar(kind: string) {
  return new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `importing ${kind} [{bar}] {percentage}% | {value}/{total} rows | {eta_formatted} left`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
}
