// GET /search — every conversation, full text (Chinese and English), with filters.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { searchCommunications, type SearchHit } from '../../store/communications-query.js';
import { resolveCustomer } from '../../store/customers-query.js';
import { getCustomers } from '../../store/customers-repo.js';
import type { Page } from '../../store/pagination.js';
import { isHtmx, sendFragment, sendHtml, viewContext } from '../render.js';
import { SearchPage, SearchResults, type SearchForm } from '../views/search.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function searchRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Search may be a moment behind: it reads the replica when there is one.
  const db = ctx.database.readDb;
  const tz = ctx.config.RAPPORT_TIMEZONE;
  app.get('/search', async (req: FastifyRequest<{ Querystring: Record<string, string | undefined> }>, reply) => {
    const q = req.query;
    const form: SearchForm = {
      q: (q.q ?? '').trim().slice(0, 200),
      channel: q.channel?.trim().slice(0, 50) || undefined,
      kind: q.kind?.trim().slice(0, 50) || undefined,
      from: q.from && DATE.test(q.from) ? q.from : undefined,
      to: q.to && DATE.test(q.to) ? q.to : undefined,
      customer: q.customer?.trim().slice(0, 320) || undefined,
    };
    let page: Page<SearchHit> | null = null;
    let names = new Map<string, string>();
    if (form.q) {
      const customer = form.customer ? await resolveCustomer(db, form.customer, ctx.config.RAPPORT_DEFAULT_REGION) : null;
      page = form.customer && !customer
        ? { data: [], nextCursor: null }
        : await searchCommunications(db, {
            q: form.q, channel: form.channel, kind: form.kind, customerId: customer?.id,
            from: form.from ? new Date(`${form.from}T00:00:00Z`) : undefined,
            to: form.to ? new Date(new Date(`${form.to}T00:00:00Z`).getTime() + 86_400_000) : undefined,
          }, { limit: 30, cursor: q.cursor || undefined });
      const ids = [...new Set(page.data.map((h) => h.customerId).filter((x): x is string => Boolean(x)))];
      names = new Map((await getCustomers(db, ids)).map((c) => [c.id, c.company ? `${c.name} · ${c.company.name}` : c.name]));
    }
    const view = viewContext(req, reply, tz);
    if (isHtmx(req) && req.headers['hx-target'] === 'results') return sendFragment(reply, SearchResults({ ctx: view, form, page, names }));
    return sendHtml(reply, SearchPage({ ctx: view, form, page, names }));
  });
}
