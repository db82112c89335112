// /api/v1/review (messages capture could not attach to a customer), customer merge, and staff
// identities. Reads need a `read` token, changes `write`; the token's name is recorded as who acted.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { notFound } from '../../core/errors.js';
import { mergeCustomers } from '../../store/customer-merge.js';
import { resolveCustomer } from '../../store/customers-query.js';
import { dismissReviewItem, linkCommunication, listReviewItems } from '../../store/review-repo.js';
import { addStaff, listStaff } from '../../store/staff-repo.js';
import { IdParams, PageQuery, errors, pageOf } from '../schemas.js';
import type { App } from '../types.js';

const ReviewItemSchema = z
  .object({
    id: z.string(),
    communicationId: z.string(),
    reason: z.enum(['unmatched', 'ambiguous', 'company_only']),
    status: z.enum(['open', 'linked', 'dismissed']),
    contact: z
      .object({ email: z.string().optional(), phone: z.string().optional(), slackUser: z.string().optional(), name: z.string().optional(), externalId: z.string().optional() })
      .nullable()
      .describe('the person to link: sender of inbound, recipient of outbound, original sender of a forward'),
    company: z.object({ id: z.string(), name: z.string() }).nullable().describe('the company the sender\'s domain matched, if any'),
    candidates: z.array(z.object({ customerId: z.string().optional(), companyId: z.string().optional() })).describe('for ambiguous items'),
    communication: z.object({ channel: z.string(), direction: z.string(), subject: z.string().nullable(), text: z.string(), occurredAt: z.string() }),
    resolvedCustomerId: z.string().nullable(),
    resolvedBy: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'ReviewItem' });

const CustomerKey = z.string().trim().min(1).max(320).describe('customer id, email, phone or external id');

const StaffSchema = z
  .object({ id: z.string(), kind: z.enum(['email', 'slack_user', 'phone']), value: z.string(), display: z.string(), name: z.string().nullable(), createdAt: z.string() })
  .meta({ id: 'Staff' });

const who = (req: FastifyRequest) => (req.apiToken ? `token:${req.apiToken.name}` : 'api');

export function reviewRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  const region = ctx.config.RAPPORT_DEFAULT_REGION;
  const linkOptions = { defaultRegion: region, internalDomains: ctx.config.RAPPORT_INTERNAL_DOMAINS };
  const customerId = async (key: string) => {
    const c = await resolveCustomer(db, key, region);
    if (!c) throw notFound('customer', key);
    return c.id;
  };

  return async (app: App) => {
    app.get(
      '/review',
      {
        schema: {
          tags: ['review'],
          summary: 'List the review queue',
          description: 'Messages no customer was found for (unmatched, ambiguous, or only a company), oldest first.',
          querystring: PageQuery.extend({ status: z.enum(['open', 'linked', 'dismissed']).default('open') }),
          response: { 200: pageOf(ReviewItemSchema), ...errors(400, 401, 403) },
        },
      },
      async (req) => {
        const { status, limit, cursor } = req.query;
        const page = await listReviewItems(db, { status }, { limit, cursor });
        return { data: page.data, next_cursor: page.nextCursor };
      },
    );

    app.post(
      '/review/:id/link',
      {
        config: { scope: 'write' },
        schema: {
          tags: ['review'],
          summary: 'Link a message to a customer',
          description:
            'Attaches the communication (path id) and its thread to the customer, and teaches the customer the sender\'s identities so the next message matches; other open items from the same person are linked too.',
          params: IdParams,
          body: z.object({ customer: CustomerKey }).strict(),
          response: {
            200: z.object({
              communicationId: z.string(),
              customerId: z.string(),
              learned: z.array(z.string()),
              heldElsewhere: z.array(z.string()).describe('identities another customer holds: not moved (merge the customers)'),
              alsoLinked: z.array(z.string()),
            }),
            ...errors(400, 401, 403, 404),
          },
        },
      },
      async (req) => {
        const target = await customerId(req.body.customer);
        const linked = await linkCommunication(db, req.params.id, target, who(req), linkOptions);
        await ctx.shared.cards.forget([target]);
        return linked;
      },
    );

    app.post(
      '/review/:id/dismiss',
      {
        config: { scope: 'write' },
        schema: {
          tags: ['review'],
          summary: 'Dismiss a review item',
          params: IdParams,
          response: { 200: z.object({ communicationId: z.string(), status: z.literal('dismissed') }), ...errors(401, 403, 404) },
        },
      },
      async (req) => {
        if (!(await dismissReviewItem(db, req.params.id, who(req)))) throw notFound('open review item for communication', req.params.id);
        return { communicationId: req.params.id, status: 'dismissed' as const };
      },
    );

    app.post(
      '/customers/:id/merge',
      {
        config: { scope: 'write' },
        schema: {
          tags: ['customers'],
          summary: 'Merge a customer into another',
          description:
            'Moves everything of the customer in the path (identities, communications, orders, threads) to `into`, in one transaction. The source is kept as deleted with `merged_into`; the merge is audited with who and when.',
          params: IdParams,
          body: z.object({ into: CustomerKey }).strict(),
          response: {
            200: z.object({
              mergeId: z.string(),
              sourceId: z.string(),
              targetId: z.string(),
              mergedBy: z.string(),
              mergedAt: z.string(),
              moved: z.record(z.string(), z.number()),
              kept: z.record(z.string(), z.number()),
            }),
            ...errors(400, 401, 403, 404),
          },
        },
      },
      async (req) => {
        const [source, target] = [await customerId(req.params.id), await customerId(req.body.into)];
        const merged = await mergeCustomers(db, source, target, who(req));
        await ctx.shared.cards.forget([source, target]);
        return merged;
      },
    );

    app.get(
      '/staff',
      { schema: { tags: ['staff'], summary: 'List staff identities', response: { 200: z.object({ internalDomains: z.array(z.string()), data: z.array(StaffSchema) }), ...errors(401, 403) } } },
      async () => ({ internalDomains: ctx.config.RAPPORT_INTERNAL_DOMAINS, data: await listStaff(db) }),
    );

    app.post(
      '/staff',
      {
        config: { scope: 'write' },
        schema: {
          tags: ['staff'],
          summary: 'Add a staff identity',
          description: 'Our own people are never matched as customers: their messages are outbound or internal.',
          body: z.object({ identity: z.string().trim().min(1).max(320).describe('email, Slack user id (U…) or phone'), name: z.string().max(200).optional() }).strict(),
          response: { 201: StaffSchema, 200: StaffSchema, ...errors(400, 401, 403) },
        },
      },
      async (req, reply) => {
        const r = await addStaff(db, req.body.identity, req.body.name ?? null, region);
        reply.status(r.created ? 201 : 200);
        return r.staff;
      },
    );
  };
}
