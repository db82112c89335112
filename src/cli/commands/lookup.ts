// `rapport lookup QUERY`: the customer card Slack's `/crm lookup` shows, in the terminal (the same
// lookup and the same card queries). `rapport search TEXT`: full-text search over communications,
// as GET /api/v1/communications/search (Chinese segmented, English stemmed).
import type { Command } from 'commander';
import { validationError } from '../../core/errors.js';
import type { CustomerCard, LookupOutcome } from '../../core/customer-card.js';
import { renderCardText } from '../../demo/render-card.js';
import { searchCommunications } from '../../store/communications-query.js';
import { customerCard } from '../../store/customer-card.js';
import { lookupCustomers } from '../../store/customer-lookup.js';
import { getCustomers } from '../../store/customers-repo.js';
import { MAX_PAGE_SIZE } from '../../store/pagination.js';
import { formatTable } from '../format-table.js';
import { customerIdOf } from '../resolve-ids.js';
import { action } from '../runner.js';

function renderMatches(query: string, outcome: LookupOutcome): string {
  if (outcome.matches.length === 0) {
    return `no customer matches “${query}”${outcome.suggestions.length ? `; closest names: ${outcome.suggestions.join(', ')}` : ''}`;
  }
  return [
    `${outcome.matches.length}${outcome.more ? '+' : ''} customers match “${query}”; look one up by its email, phone or id:`,
    formatTable(['#', 'NAME', 'COMPANY', 'CONTACT', 'ID'], outcome.matches.map((m, i) => [String(i + 1), m.name, m.company ?? '-', m.hint ?? '-', m.id])),
  ].join('\n');
}

function pageLimit(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) throw validationError(`--limit must be a whole number from 1 to ${MAX_PAGE_SIZE}, not ${JSON.stringify(raw)}`, [{ field: 'limit', message: `1–${MAX_PAGE_SIZE}` }]);
  return n;
}

export function registerLookup(program: Command): void {
  program
    .command('lookup <query...>')
    .description('the customer card (as /crm lookup shows it): by email, domain, phone, name or company; several matches → a numbered list')
    .action(
      action<[string[]]>(async (ctx, io, words) => {
        const query = words.join(' ').trim();
        if (!query) throw validationError('give an email, phone, domain, name or company to look up', [{ field: 'query', message: 'empty' }]);
        const reads = ctx.database.readDb;
        const outcome = await lookupCustomers(reads, query, { limit: 10, defaultRegion: ctx.config.RAPPORT_DEFAULT_REGION });
        const card: CustomerCard | null = outcome.matches.length === 1 ? await customerCard(reads, outcome.matches[0]!.id) : null;
        io.print({ query, ...outcome, card }, (r) => (r.card ? renderCardText(r.card) : renderMatches(query, outcome)));
        return outcome.matches.length === 0 ? 1 : 0;
      }),
    );

  program
    .command('search <text...>')
    .description('full-text search over communications, best match first (Chinese and English; "phrases", -exclude, or)')
    .option('--customer <customer>', 'only this customer (id or id prefix, email, phone or external id)')
    .option('--channel <channel>', 'only this channel (email, slack, webhook)')
    .option('--limit <n>', `at most this many, 1–${MAX_PAGE_SIZE}`, '20')
    .action(
      action<[string[], { customer?: string; channel?: string; limit: string }]>(async (ctx, io, words, o) => {
        const q = words.join(' ').trim();
        if (!q) throw validationError('give words to search for', [{ field: 'text', message: 'empty' }]);
        const limit = pageLimit(o.limit);
        const customerId = o.customer ? await customerIdOf(ctx, o.customer) : undefined;
        const page = await searchCommunications(ctx.database.readDb, { q, customerId, channel: o.channel }, { limit });
        const ids = [...new Set(page.data.map((h) => h.customerId).filter((id): id is string => Boolean(id)))];
        const names = new Map((await getCustomers(ctx.database.readDb, ids, { includeDeleted: true })).map((c) => [c.id, c.name]));
        const data = page.data.map((h) => ({ ...h, customerName: h.customerId ? (names.get(h.customerId) ?? null) : null }));
        io.print({ data, next_cursor: page.nextCursor }, (r) =>
          r.data.length === 0
            ? `nothing found for “${q}”`
            : formatTable(
                ['WHEN', 'CHANNEL', 'KIND', 'CUSTOMER', 'SUBJECT / TEXT', 'ID'],
                r.data.map((h) => [h.occurredAt.slice(0, 16).replace('T', ' '), h.channel, h.kind, h.customerName ?? '-', [h.subject, h.text].filter(Boolean).join(' — '), h.id]),
                { maxWidth: { 4: 70 } },
              ),
        );
      }),
    );
}
