// `rapport customers export` (the filtered customer list) and `rapport communications export
// --since DATE`: CSV or JSON Lines, to stdout or a file, streamed in keyset pages so memory stays
// flat; a running count on a terminal. Customer CSV uses the import's column names, so an export
// imports again as it is.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import type { Command } from 'commander';
import type { AppContext } from '../../context.js';
import { RapportError, validationError } from '../../core/errors.js';
import { communicationsExportPage, type ExportedCommunication, type ExportPosition } from '../../store/communications-export.js';
import { listCustomers, type CustomerFilter } from '../../store/customers-query.js';
import type { CustomerView } from '../../store/customers-repo.js';
import { MAX_PAGE_SIZE } from '../../store/pagination.js';
import { customerIdOf } from '../resolve-ids.js';
import { subjectIdOf } from './data-rights.js';
import { action, commandGroup, type CommandIo } from '../runner.js';

type Format = 'csv' | 'jsonl';

interface Output {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

/** `customers export ID`: everything held about one person (a data-rights request), as JSON. */
async function personExport(ctx: AppContext, _io: CommandIo, customer: string, opts: { output?: string | undefined }): Promise<void> {
  // Loaded here: analytics (keywords) would slow the start of every other `customers` command.
  const { exportCustomer, exportSubject } = await import('../../data-rights/export.js');
  const ids = await exportSubject(ctx, await subjectIdOf(ctx, customer));
  const out = await openOutput(opts.output);
  try {
    for await (const chunk of exportCustomer(ctx, ids)) await out.write(chunk);
  } finally {
    await out.close();
  }
}

function formatOf(raw: string): Format {
  if (raw === 'csv' || raw === 'jsonl') return raw;
  throw validationError(`--format must be csv or jsonl, not ${JSON.stringify(raw)}`, [{ field: 'format', message: 'csv | jsonl' }]);
}

async function openOutput(path: string | undefined): Promise<Output> {
  const stream = path ? createWriteStream(path, { flags: 'w' }) : process.stdout;
  if (path) {
    await Promise.race([
      once(stream, 'open'),
      once(stream, 'error').then(([e]) => {
        throw new RapportError('validation', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { reason: 'file_unwritable' });
      }),
    ]);
  }
  return {
    // Waits for 'drain' when the consumer is slower than the database (a pipe to gzip, a slow disk).
    async write(text) {
      if (!stream.write(text)) await once(stream, 'drain');
    },
    async close() {
      if (path) {
        stream.end();
        await once(stream, 'finish');
      }
    },
  };
}

/** "exported 12,000 customers" on a terminal, rewritten in place; nothing elsewhere. */
function counter(io: CommandIo, what: string) {
  const tty = !io.json && process.stderr.isTTY;
  let last = 0;
  return {
    tick(n: number) {
      if (tty && Date.now() - last > 200) {
        last = Date.now();
        process.stderr.write(`\rexporting ${what}: ${n.toLocaleString('en')}`);
      }
    },
    done(n: number, path: string | undefined) {
      if (tty) process.stderr.write('\r\x1b[K');
      io.note(`exported ${n.toLocaleString('en')} ${what}${path ? ` to ${path}` : ''}`);
    },
  };
}

const customerColumns = ['id', 'name', 'emails', 'phones', 'company', 'domains', 'tags', 'owner', 'external_id', 'slack_users', 'created_at', 'updated_at'];
const customerRow = (c: CustomerView) => [
  c.id, c.name, c.emails.join(';'), c.phones.join(';'), c.company?.name ?? '', c.company?.domains.join(';') ?? '', c.tags.join(';'), c.owner ?? '', c.externalId ?? '',
  c.slackUsers.join(';'), c.createdAt, c.updatedAt,
];

const communicationColumns = ['id', 'occurred_at', 'channel', 'direction', 'kind', 'customer_id', 'customer_name', 'company_id', 'thread_id', 'from', 'subject', 'text', 'language', 'sentiment', 'flags'];
const communicationRow = (c: ExportedCommunication) => [
  c.id, c.occurredAt, c.channel, c.direction, c.kind, c.customerId ?? '', c.customerName ?? '', c.companyId ?? '', c.threadId ?? '', c.from ?? '', c.subject ?? '', c.text,
  c.language ?? '', c.sentiment === null ? '' : String(c.sentiment), c.flags.join(';'),
];

/** A date (2026-01-31, read as UTC midnight) or a date and time with an offset. */
function sinceOf(raw: string): Date {
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(raw.trim());
  const date = new Date(raw.trim());
  if (!ok || Number.isNaN(date.getTime())) {
    throw validationError(`--since must be a date such as 2026-01-31 or 2026-01-31T09:00:00+08:00, not ${JSON.stringify(raw)}`, [{ field: 'since', message: 'ISO 8601 date' }]);
  }
  return date;
}

export function registerExport(program: Command): void {
  const customers = commandGroup(program, 'customers', 'look up and manage customers');
  customers
    .command('export [customer]')
    .description('export the customers (filters as customers list) as CSV or JSON Lines, streamed')
    .option('--format <format>', 'csv | jsonl', 'csv')
    .option('--output <file>', 'write to this file instead of stdout')
    .option('--q <text>', 'text in the name, an email address or the company name')
    .option('--tag <tag>', 'with this tag')
    .option('--company <company>', 'company id or name')
    .option('--owner <owner>', 'with this owner')
    .action(
      action<[string | undefined, CustomerFilter & { format: string; output?: string }]>(async (ctx, io, customer, o) => {
        if (customer !== undefined) {
          return personExport(ctx, io, customer, { output: o.output });
        }
        const format = formatOf(o.format);
        const out = await openOutput(o.output);
        const progress = counter(io, 'customers');
        let n = 0;
        try {
          if (format === 'csv') await out.write(stringify([customerColumns]));
          let cursor: string | undefined;
          do {
            const page = await listCustomers(ctx.database.db, { q: o.q, tag: o.tag, company: o.company, owner: o.owner }, { limit: MAX_PAGE_SIZE, cursor });
            await out.write(format === 'csv' ? stringify(page.data.map(customerRow)) : page.data.map((c) => `${JSON.stringify(c)}\n`).join(''));
            n += page.data.length;
            progress.tick(n);
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
        } finally {
          await out.close();
        }
        progress.done(n, o.output);
      }),
    );

  const communications = commandGroup(program, 'communications', 'captured messages');
  communications
    .command('export')
    .description('export communications since a date, oldest first, as CSV or JSON Lines, streamed')
    .requiredOption('--since <date>', 'from this date (2026-01-31, or with a time and offset)')
    .option('--customer <customer>', 'only this customer (id or id prefix, email, phone or external id)')
    .option('--format <format>', 'csv | jsonl', 'csv')
    .option('--output <file>', 'write to this file instead of stdout')
    .action(
      action<[{ since: string; customer?: string; format: string; output?: string }]>(async (ctx, io, o) => {
        const format = formatOf(o.format);
        const since = sinceOf(o.since);
        const customerId = o.customer ? await customerIdOf(ctx, o.customer) : undefined;
        const out = await openOutput(o.output);
        const progress = counter(io, 'communications');
        let n = 0;
        try {
          if (format === 'csv') await out.write(stringify([communicationColumns]));
          let after: ExportPosition | null = null;
          do {
            const page = await communicationsExportPage(ctx.database.db, { since, customerId }, after, 500);
            await out.write(format === 'csv' ? stringify(page.rows.map(communicationRow)) : page.rows.map((c) => `${JSON.stringify(c)}\n`).join(''));
            n += page.rows.length;
            progress.tick(n);
            after = page.next;
          } while (after);
        } finally {
          await out.close();
        }
        progress.done(n, o.output);
      }),
    );
}
