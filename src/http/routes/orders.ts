// /api/v1/orders: list (optionally for one customer), get, create.
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { notFound, validationError } from '../../core/errors.js';
import { resolveCustomer } from '../../store/customers-query.js';
import { createOrder } from '../../store/orders-repo.js';
import { getOrder, listOrders } from '../../store/orders-query.js';
import { IdParams, OrderCreateBody, OrderSchema, PageQuery, errors, pageOf } from '../schemas.js';
import type { App } from '../types.js';

export function orderRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  const region = ctx.config.RAPPORT_DEFAULT_REGION;
  const tags = ['orders'];

  return async (app: App) => {
    app.get(
      '/orders',
      {
        schema: {
          tags,
          summary: 'List orders',
          description: 'Newest first.',
          querystring: PageQuery.extend({
            customer: z.string().max(320).optional().describe("only this customer's orders (id, email or external id)"),
          }),
          response: { 200: pageOf(OrderSchema), ...errors(400, 401, 403) },
        },
      },
      async (req) => {
        const { customer, limit, cursor } = req.query;
        let customerId: string | undefined;
        if (customer !== undefined) {
          const found = await resolveCustomer(db, customer, region);
          if (!found) return { data: [], next_cursor: null };
          customerId = found.id;
        }
        const page = await listOrders(db, { customerId }, { limit, cursor });
        return { data: page.data, next_cursor: page.nextCursor };
      },
    );

    app.get(
      '/orders/:id',
      { schema: { tags, summary: 'Get an order', params: IdParams, response: { 200: OrderSchema, ...errors(401, 403, 404) } } },
      async (req) => {
        const order = await getOrder(db, req.params.id);
        if (!order) throw notFound('order', req.params.id);
        return order;
      },
    );

    app.post(
      '/orders',
      {
        config: { scope: 'write' },
        schema: {
          tags,
          summary: 'Create an order',
          description: 'An external id that already exists is a 409 (import CSVs with `rapport import orders` to update).',
          body: OrderCreateBody,
          response: { 201: OrderSchema, ...errors(400, 401, 403, 409, 413) },
        },
      },
      async (req, reply) => {
        const { customer, orderedAt, ...rest } = req.body;
        const found = await resolveCustomer(db, customer, region);
        if (!found) throw validationError(`no customer ${customer}`, [{ field: 'body.customer', message: 'no such customer (id, email or external id)' }]);
        const order = await createOrder(db, { ...rest, customerId: found.id, orderedAt: new Date(orderedAt) });
        await ctx.shared.cards.forget([found.id]);
        reply.status(201).header('location', `${req.url.split('?')[0]}/${order.id}`);
        return order;
      },
    );
  };
}
