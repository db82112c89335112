// `rapport customers get|list`: read customers from the command line.
import type { Command } from 'commander';
import { RapportError, notFound } from '../../core/errors.js';
import { listCustomers } from '../../store/customers-query.js';
import { getCustomer, type CustomerView } from '../../store/customers-repo.js';
import { MAX_PAGE_SIZE } from '../../store/pagination.js';
import { formatTable } from '../format-table.js';
import { customerIdOf } from '../resolve-ids.js';
import { action, commandGroup } from '../runner.js';

export function describeCustomer(c: CustomerView): string {
  const lines: [string, string][] = [
    ['id', c.id],
    ['name', c.name],
    ['company', c.company ? `${c.company.name}${c.company.domains.length ? ` (${c.company.domains.join(', ')})` : ''}` : '-'],
    ['emails', c.emails.join(', ') || '-'],
    ['phones', c.phones.join(', ') || '-'],
    ['slack', c.slackUsers.join(', ') || '-'],
    ['external id', c.externalId ?? '-'],
    ['owner', c.owner ?? '-'],
    ['tags', c.tags.join(', ') || '-'],
    ['created', c.createdAt],
    ['updated', c.updatedAt],
  ];
  if (Object.keys(c.attributes).length > 0) lines.push(['attributes', JSON.stringify(c.attributes)]);
  return lines.map(([k, v]) => `${k.padEnd(12)}${v}`).join('\n');
}

export function registerCustomers(program: Command): void {
  const customers = commandGroup(program, 'customers', 'look up and manage customers');

  customers
    .command('get <idOrEmail>')
    .description('one customer by id, email, external id or phone')
    .action(
      action<[string]>(async (ctx, io, key) => {
        const customer = await getCustomer(ctx.database.db, await customerIdOf(ctx, key));
        if (!customer) throw notFound('customer', key);
        io.print(customer, describeCustomer);
      }),
    );

  customers
    .command('list')
    .description('customers, newest first; filters combine with AND')
    .option('--q <text>', 'text in the name, an email address or the company name')
    .option('--tag <tag>', 'with this tag')
    .option('--company <company>', 'company id or name')
    .option('--owner <owner>', 'with this owner')
    .option('--limit <n>', `page size, 1–${MAX_PAGE_SIZE}`, '50')
    .option('--cursor <cursor>', 'next page: the cursor printed after the previous one')
    .action(
      action<[{ q?: string; tag?: string; company?: string; owner?: string; limit: string; cursor?: string }]>(async (ctx, io, opts) => {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
          throw new RapportError('validation', `--limit must be a whole number from 1 to ${MAX_PAGE_SIZE}, not ${JSON.stringify(opts.limit)}`);
        }
        const page = await listCustomers(ctx.database.db, { q: opts.q, tag: opts.tag, company: opts.company, owner: opts.owner }, { limit, cursor: opts.cursor });
        io.print({ data: page.data, next_cursor: page.nextCursor }, (p) =>
          p.data.length === 0
            ? 'no customers match'
            : formatTable(
                ['ID', 'NAME', 'COMPANY', 'EMAIL', 'OWNER', 'TAGS'],
                p.data.map((c) => [c.id, c.name, c.company?.name ?? '-', c.emails[0] ?? '-', c.owner ?? '-', c.tags.join(',') || '-']),
              ),
        );
        if (page.nextCursor) io.note(`more: rapport customers list --cursor ${page.nextCursor} (same filters)`);
      }),
    );
}
