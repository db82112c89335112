// GET /review — the queue of messages capture could not attach; agents link one to a customer (a
// suggestion or any customer typed), create a customer from the sender, or dismiss it.
import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { normalizeCustomer } from '../../core/customers.js';
import { notFound, validationError } from '../../core/errors.js';
import { recordAudit } from '../../store/audit-repo.js';
import { roleAllows } from '../../store/console-users-repo.js';
import { resolveCustomer } from '../../store/customers-query.js';
import { createCustomer } from '../../store/customers-repo.js';
import { isUuid } from '../../store/pagination.js';
import { dismissReviewItem, linkCommunication, listReviewItems } from '../../store/review-repo.js';
import { reviewSuggestions } from '../../store/review-suggestions.js';
import { reviewItems } from '../../store/schema/index.js';
import { redirectAfterPost, sendHtml, viewContext } from '../render.js';
import { ReviewPage } from '../views/review.js';

type Req = FastifyRequest<{ Params: { id: string }; Querystring: Record<string, string | undefined>; Body: Record<string, string | undefined> }>;

export function reviewRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  const tz = ctx.config.RAPPORT_TIMEZONE;
  const region = ctx.config.RAPPORT_DEFAULT_REGION;
  const linkOptions = { defaultRegion: region, internalDomains: ctx.config.RAPPORT_INTERNAL_DOMAINS };
  const acting = (req: FastifyRequest) => ({ name: req.consoleUser!.email, id: req.consoleUser!.userId });

  app.get('/review', async (req: Req, reply) => {
    const page = await listReviewItems(db, { status: 'open' }, { limit: 30, cursor: req.query.cursor || undefined });
    const suggestions = await Promise.all(page.data.map((item) => reviewSuggestions(db, item)));
    return sendHtml(reply, ReviewPage({ ctx: viewContext(req, reply, tz), page, suggestions, canAct: roleAllows(req.consoleUser!.role, 'agent') }));
  });

  app.post('/review/:id/link', { config: { role: 'agent' } }, async (req: Req, reply) => {
    const key = (req.body?.customer_key?.trim() || req.body?.customer?.trim()) ?? '';
    if (!key) throw validationError('choose a customer or type one', [{ field: 'customer', message: 'required' }]);
    const customer = await resolveCustomer(db, key, region);
    if (!customer) throw notFound('customer', key);
    const by = acting(req);
    const r = await linkCommunication(db, req.params.id, customer.id, by.name, linkOptions);
    await ctx.shared.cards.forget([customer.id]);
    await recordAudit(db, { actor: by.name, actorId: by.id, action: 'review.link', targetType: 'communication', targetId: r.communicationId, details: { customerId: r.customerId, alsoLinked: r.alsoLinked.length } });
    return redirectAfterPost(reply, '/review', 'linked');
  });

  app.post('/review/:id/create', { config: { role: 'agent' } }, async (req: Req, reply) => {
    const [item] = isUuid(req.params.id) ? await db.select().from(reviewItems).where(eq(reviewItems.communicationId, req.params.id)) : [];
    if (!item || item.status !== 'open') throw notFound('open review item for communication', req.params.id);
    const contact = item.contact ?? {};
    const name = contact.name?.trim() || contact.email?.split('@')[0] || contact.phone || contact.slackUser || '';
    const input = { name, emails: contact.email ? [contact.email] : [], phones: contact.phone ? [contact.phone] : [], slackUsers: contact.slackUser ? [contact.slackUser] : [] };
    const n = normalizeCustomer(input, { defaultRegion: region });
    const by = acting(req);
    // The customer is created without the sender's identities; linking teaches them (and links
    // the sender's other open items), as a link to an existing customer would.
    const id = await db.transaction((tx) => createCustomer(tx, { ...n, identities: [] }, item.companyId ? { companyId: item.companyId } : {}));
    const r = await linkCommunication(db, req.params.id, id, by.name, linkOptions);
    await ctx.shared.cards.forget([id]);
    await recordAudit(db, { actor: by.name, actorId: by.id, action: 'review.create_customer', targetType: 'customer', targetId: id, details: { communicationId: r.communicationId, alsoLinked: r.alsoLinked.length } });
    return redirectAfterPost(reply, `/customers/${id}`, 'created');
  });

  app.post('/review/:id/dismiss', { config: { role: 'agent' } }, async (req: Req, reply) => {
    const by = acting(req);
    if (!(await dismissReviewItem(db, req.params.id, by.name))) throw notFound('open review item for communication', req.params.id);
    await recordAudit(db, { actor: by.name, actorId: by.id, action: 'review.dismiss', targetType: 'communication', targetId: req.params.id });
    return redirectAfterPost(reply, '/review', 'dismissed');
  });
}
