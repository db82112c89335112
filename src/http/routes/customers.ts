// /api/v1/customers: create, read, update, soft-delete, list with filters; a customer's timeline
// and orders.
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { normalizeCustomer } from '../../core/customers.js';
import { notFound } from '../../core/errors.js';
import { customerTimeline } from '../../store/communications-query.js';
import { customerExists, listCustomers } from '../../store/customers-query.js';
import { createCustomer, getCustomer } from '../../store/customers-repo.js';
import { deleteCustomer, patchCustomer } from '../../store/customers-update.js';
import { listOrders } from '../../store/orders-query.js';
import { inBody, inBodyAsync } from '../input-errors.js';
import {
  CommunicationSchema, CustomerCreateBody, CustomerPatchBody, CustomerSchema, CustomerWritten, IdParams, OrderSchema, PageQuery, errors, pageOf,
} from '../schemas.js';
import type { App } from '../types.js';

export const CustomerFilterQuery = PageQuery.extend({
  q: z.string().max(200).optional().describe('text contained in the name, an email address or the company name'),
  tag: z.string().max(200).optional().describe('customers with this tag'),
  company: z.string().max(500).optional().describe('company id, or company name (exact, case-insensitive)'),
  owner: z.string().max(320).optional().describe('customers with this owner (exact)'),
});

export function customerRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  const region = ctx.config.RAPPORT_DEFAULT_REGION;
  const tags = ['customers'];

  return async (app: App) => {
    app.get(
      '/customers',
      {
        schema: {
          tags,
          summary: 'List customers',
          description: 'Newest first. Filters combine with AND. Page with `cursor` = the previous `next_cursor`.',
          querystring: CustomerFilterQuery,
          response: { 200: pageOf(CustomerSchema), ...errors(400, 401, 403) },
        },
      },
      async (req) => {
        const { limit, cursor, ...filter } = req.query;
        const page = await listCustomers(db, filter, { limit, cursor });
        return { data: page.data, next_cursor: page.nextCursor };
      },
    );

    app.post(
      '/customers',
      {
        config: { scope: 'write' },
        schema: {
          tags,
          summary: 'Create a customer',
          description: 'Emails, phones, Slack users and the external id each belong to one customer: one already taken is a 409.',
          body: CustomerCreateBody,
          response: { 201: CustomerWritten, ...errors(400, 401, 403, 409, 413) },
        },
      },
      async (req, reply) => {
        const n = inBody(() => normalizeCustomer(req.body, { defaultRegion: region }));
        const id = await db.transaction((tx) => createCustomer(tx, n));
        const customer = await getCustomer(db, id);
        reply.status(201).header('location', `${req.url.split('?')[0]}/${id}`);
        return { ...customer!, warnings: n.warnings };
      },
    );

    app.get(
      '/customers/:id',
      {
        schema: { tags, summary: 'Get a customer', params: IdParams, response: { 200: CustomerSchema, ...errors(401, 403, 404) } },
      },
      async (req) => {
        const customer = await getCustomer(db, req.params.id);
        if (!customer) throw notFound('customer', req.params.id);
        return customer;
      },
    );

    app.patch(
      '/customers/:id',
      {
        config: { scope: 'write' },
        schema: {
          tags,
          summary: 'Update a customer',
          description:
            'Fields given replace the stored ones: lists (emails, phones, slackUsers, tags) replace whole lists, null clears company, owner or externalId, attributes merge key by key (null removes a key).',
          params: IdParams,
          body: CustomerPatchBody,
          response: { 200: CustomerWritten, ...errors(400, 401, 403, 404, 409, 413) },
        },
      },
      async (req) => {
        const result = await inBodyAsync(() => db.transaction((tx) => patchCustomer(tx, req.params.id, req.body, region)));
        if (!result) throw notFound('customer', req.params.id);
        await ctx.shared.cards.forget([req.params.id]);
        const customer = await getCustomer(db, req.params.id);
        return { ...customer!, warnings: result.warnings };
      },
    );

    app.delete(
      '/customers/:id',
      {
        config: { scope: 'write' },
        schema: {
          tags,
          summary: 'Delete a customer',
          description:
            'A soft delete: the customer disappears from reads and lists; their communications and orders are kept. Their emails, phones, Slack users and external id are released for other customers.',
          params: IdParams,
          response: { 204: z.undefined().describe('Deleted'), ...errors(401, 403, 404) },
        },
      },
      async (req, reply) => {
        if (!(await db.transaction((tx) => deleteCustomer(tx, req.params.id)))) throw notFound('customer', req.params.id);
        await ctx.shared.cards.forget([req.params.id]);
        return reply.status(204).send();
      },
    );

    app.get(
      '/customers/:id/communications',
      {
        schema: {
          tags: [...tags, 'communications'],
          summary: "A customer's timeline",
          description: 'Their communications on every channel, newest first.',
          params: IdParams,
          querystring: PageQuery,
          response: { 200: pageOf(CommunicationSchema), ...errors(400, 401, 403, 404) },
        },
      },
      async (req) => {
        if (!(await customerExists(db, req.params.id))) throw notFound('customer', req.params.id);
        const page = await customerTimeline(db, req.params.id, req.query);
        return { data: page.data, next_cursor: page.nextCursor };
      },
    );

    app.get(
      '/customers/:id/orders',
      {
        schema: {
          tags: [...tags, 'orders'],
          summary: "A customer's orders",
          description: 'Newest first.',
          params: IdParams,
          querystring: PageQuery,
          response: { 200: pageOf(OrderSchema), ...errors(400, 401, 403, 404) },
        },
      },
      async (req) => {
        if (!(await customerExists(db, req.params.id))) throw notFound('customer', req.params.id);
        const page = await listOrders(db, { customerId: req.params.id }, req.query);
        return { data: page.data, next_cursor: page.nextCursor };
      },
    );
  };
}
