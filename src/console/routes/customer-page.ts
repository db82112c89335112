// One customer's page, the pieces it loads on demand (older threads, similar conversations, a
// message in full), and what agents do there: notes, kind corrections, merges.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { explainValue } from '../../analytics-runner/value-train.js';
import { similarTo } from '../../analytics-runner/similar.js';
import type { AppContext } from '../../context.js';
import { notFound, validationError } from '../../core/errors.js';
import { segmentHistory } from '../../store/analytics-repo.js';
import { recordAudit } from '../../store/audit-repo.js';
import { addNote, correctKind } from '../../store/communication-edits.js';
import { roleAllows } from '../../store/console-users-repo.js';
import { customerCard } from '../../store/customer-card.js';
import { mergeCustomers, mergePreview } from '../../store/customer-merge.js';
import { communicationDetail, customerNotes, customerThreads } from '../../store/customer-threads.js';
import { resolveCustomer } from '../../store/customers-query.js';
import { getCustomer } from '../../store/customers-repo.js';
import { revenueByMonth } from '../../store/dashboard-queries.js';
import { listOrders } from '../../store/orders-query.js';
import { isHtmx, redirectAfterPost, sendFragment, sendHtml, viewContext } from '../render.js';
import { CustomerPage, MergePreviewPage, SimilarList } from '../views/customer-page.js';
import { CommunicationPage, MessageBody, ThreadPage } from '../views/timeline.js';

/** Threads per page of a customer's timeline; older ones load with "Older conversations". */
const THREADS_PER_PAGE = 20;

type Req<P, Q = Record<string, string | undefined>, B = Record<string, string | undefined>> = FastifyRequest<{ Params: P; Querystring: Q; Body: B }>;

export function customerPageRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  const tz = ctx.config.RAPPORT_TIMEZONE;
  const acting = (req: FastifyRequest) => ({ name: req.consoleUser!.email, id: req.consoleUser!.userId });

  app.get('/customers/:id', async (req: Req<{ id: string }>, reply) => {
    const customer = await getCustomer(db, req.params.id);
    if (!customer) throw notFound('customer', req.params.id);
    const view = viewContext(req, reply, tz);
    const cursor = req.query.cursor || undefined;
    if (req.query.part === 'threads' && isHtmx(req)) {
      const page = await customerThreads(db, customer.id, { limit: THREADS_PER_PAGE, cursor });
      return sendFragment(reply, ThreadPage({ ctx: view, customerId: customer.id, threads: page.data, nextCursor: page.nextCursor }));
    }
    const [card, segments, orders, revenue, threads, notes] = await Promise.all([
      ctx.shared.cards.get(customer.id, () => customerCard(db, customer.id)),
      segmentHistory(db, customer.id, 10),
      listOrders(db, { customerId: customer.id }, { limit: 20 }),
      revenueByMonth(db, customer.id, tz),
      customerThreads(db, customer.id, { limit: THREADS_PER_PAGE, cursor }),
      customerNotes(db, customer.id),
    ]);
    // The decision path only for a customer the value model has tiered.
    const why = card?.value ? await explainValue(ctx, customer.id).then((e) => ({ en: e.text, zh: e.textZh }), () => null) : null;
    return sendHtml(reply, CustomerPage({
      ctx: view, customer, card: card!, why, segments, orders: orders.data, revenue, threads: threads.data, nextCursor: threads.nextCursor, notes,
      canAct: roleAllows(req.consoleUser!.role, 'agent'),
    }));
  });

  app.get('/customers/:id/similar', async (req: Req<{ id: string }>, reply) => {
    const customer = await getCustomer(db, req.params.id);
    if (!customer) throw notFound('customer', req.params.id);
    // Similar to this customer's latest message from them.
    const latest = await customerThreads(db, customer.id, { limit: 1 });
    const last = latest.data[0]?.messages.filter((m) => m.direction === 'inbound').at(-1) ?? latest.data[0]?.messages.at(-1);
    const hits = last
      ? await similarTo(ctx, { communicationId: last.id, limit: 5 }).then((r) => r.results.filter((h) => h.customerId !== customer.id || h.id !== last.id), () => null)
      : null;
    const view = viewContext(req, reply, tz);
    if (isHtmx(req)) return sendFragment(reply, SimilarList({ ctx: view, hits }));
    const { Layout } = await import('../views/layout.js');
    return sendHtml(reply, Layout({ ctx: view, title: view.t.similar, section: 'customers', children: [SimilarList({ ctx: view, hits })] }));
  });

  app.get('/communications/:id', async (req: Req<{ id: string }>, reply) => {
    const c = await communicationDetail(db, req.params.id);
    if (!c) throw notFound('communication', req.params.id);
    const view = viewContext(req, reply, tz);
    if (req.query.part === 'body' && isHtmx(req)) return sendFragment(reply, MessageBody({ ctx: view, c }));
    const customer = c.customerId ? await getCustomer(db, c.customerId) : null;
    return sendHtml(reply, CommunicationPage({ ctx: view, c, customerName: customer?.name ?? null, canEdit: roleAllows(req.consoleUser!.role, 'agent') }));
  });

  app.post('/communications/:id/kind', { config: { role: 'agent' } }, async (req: Req<{ id: string }>, reply) => {
    await correctKind(db, req.params.id, String(req.body?.kind ?? ''), acting(req));
    await ctx.shared.cards.forgetAll();
    return redirectAfterPost(reply, `/communications/${req.params.id}`, 'kindCorrected');
  });

  app.post('/customers/:id/notes', { config: { role: 'agent' } }, async (req: Req<{ id: string }>, reply) => {
    await addNote(db, req.params.id, String(req.body?.text ?? ''), acting(req));
    await ctx.shared.cards.forget([req.params.id]);
    return redirectAfterPost(reply, `/customers/${req.params.id}#notes`, 'noteAdded');
  });

  const mergePair = async (sourceKey: string, targetKey: string | undefined) => {
    const source = await getCustomer(db, sourceKey);
    if (!source) throw notFound('customer', sourceKey);
    if (!targetKey?.trim()) throw validationError('name the customer to keep', [{ field: 'into', message: 'required' }]);
    const target = await resolveCustomer(db, targetKey, ctx.config.RAPPORT_DEFAULT_REGION);
    if (!target) throw notFound('customer', targetKey.trim());
    if (target.id === source.id) throw validationError('a customer cannot be merged into itself', [{ field: 'into', message: 'same customer' }]);
    return { source, target };
  };

  app.get('/customers/:id/merge', { config: { role: 'agent' } }, async (req: Req<{ id: string }>, reply) => {
    const { source, target } = await mergePair(req.params.id, req.query.into);
    return sendHtml(reply, MergePreviewPage({ ctx: viewContext(req, reply, tz), source, target, moves: await mergePreview(db, source.id) }));
  });

  app.post('/customers/:id/merge', { config: { role: 'agent' } }, async (req: Req<{ id: string }>, reply) => {
    const { source, target } = await mergePair(req.params.id, req.body?.into);
    const by = acting(req);
    const r = await mergeCustomers(db, source.id, target.id, by.name);
    await ctx.shared.cards.forget([source.id, target.id]);
    await recordAudit(db, { actor: by.name, actorId: by.id, action: 'customer.merge', targetType: 'customer', targetId: target.id, details: { source: source.id, mergeId: r.mergeId, moved: r.moved } });
    return redirectAfterPost(reply, `/customers/${target.id}`, 'mergeDone');
  });
}
