// GET /customers (search as you type, filters, keyset pages) and GET /customers.csv (the same
// filtered list, streamed).
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { recordAudit } from '../../store/audit-repo.js';
import { allConsoleCustomers, contactWindows, customerFilterOptions, listConsoleCustomers, type ConsoleCustomerFilter, type ContactWindow, type CustomerRow, type FilterOptions } from '../../store/console-customers-query.js';
import { isHtmx, sendFragment, sendHtml, viewContext } from '../render.js';
import { CustomerResults, CustomersPage } from '../views/customers.js';

type Query = Record<string, string | undefined>;

export function customerFilterOf(q: Query): ConsoleCustomerFilter {
  const seg = q.segment !== undefined && /^\d{1,3}$/.test(q.segment) ? Number(q.segment) : undefined;
  const contact = (contactWindows as readonly string[]).includes(q.contact ?? '') ? (q.contact as ContactWindow) : undefined;
  const text = (s: string | undefined, max: number) => (s?.trim() ? s.trim().slice(0, max) : undefined);
  return { q: text(q.q, 200), tag: text(q.tag, 200), owner: text(q.owner, 320), segment: seg, tier: text(q.tier, 50), contact };
}

/** A CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvCell(v: string | null | undefined): string {
  let s = v ?? '';
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const CSV_HEADER = ['id', 'name', 'company', 'email', 'phone', 'owner', 'tags', 'segment', 'value_tier', 'last_contact_at', 'created_at'];
const csvLine = (r: CustomerRow) =>
  [r.id, r.name, r.company, r.email, r.phone, r.owner, r.tags.join(';'), r.segment?.en ?? null, r.tier, r.lastContactAt, r.createdAt].map(csvCell).join(',');

/** The filter menus change slowly (owners, tags, the latest segment run): read them at most once a minute. */
const OPTIONS_TTL_MS = 60_000;

export function customersRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  // The list, its menus and the CSV may be a moment behind: they read the replica when there is one.
  const reads = ctx.database.readDb;
  const tz = ctx.config.RAPPORT_TIMEZONE;
  let options: { at: number; value: Promise<FilterOptions> } | null = null;
  const filterOptions = () => {
    if (!options || Date.now() - options.at > OPTIONS_TTL_MS) {
      const value = customerFilterOptions(reads);
      options = { at: Date.now(), value };
      value.catch(() => (options = null));
    }
    return options.value;
  };

  app.get('/customers', async (req: FastifyRequest<{ Querystring: Query }>, reply) => {
    const filter = customerFilterOf(req.query);
    const page = await listConsoleCustomers(reads, filter, { limit: 50, cursor: req.query.cursor || undefined });
    const view = viewContext(req, reply, tz);
    if (isHtmx(req) && req.headers['hx-target'] === 'results') return sendFragment(reply, CustomerResults({ ctx: view, filter, page }));
    return sendHtml(reply, CustomersPage({ ctx: view, filter, page, options: await filterOptions() }));
  });

  app.get('/customers.csv', async (req: FastifyRequest<{ Querystring: Query }>, reply) => {
    const filter = customerFilterOf(req.query);
    const user = req.consoleUser!;
    // Which filters were used, not what was typed: search terms stay out of the audit log.
    await recordAudit(db, { actor: user.email, actorId: user.userId, action: 'customers.export', details: { filters: Object.keys(filter).filter((k) => filter[k as keyof ConsoleCustomerFilter] !== undefined) } });
    async function* lines() {
      yield `\uFEFF${CSV_HEADER.join(',')}\r\n`;
      for await (const batch of allConsoleCustomers(reads, filter)) if (batch.length) yield `${batch.map(csvLine).join('\r\n')}\r\n`;
    }
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="customers-${day}.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(lines()));
  });
}
