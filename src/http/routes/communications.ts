// /api/v1/communications: full-text search (Chinese and English) and single records.
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { notFound } from '../../core/errors.js';
import { getCommunication, searchCommunications } from '../../store/communications-query.js';
import { CommunicationSchema, IdParams, PageQuery, SearchHitSchema, errors, pageOf } from '../schemas.js';
import type { App } from '../types.js';

const SearchQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(500).describe('words to find; Chinese is segmented like stored text, English is stemmed ("refunds" finds "refund"); "quoted phrases" and -exclusions work'),
  customer: z.string().max(36).optional().describe('only this customer (id)'),
  channel: z.string().max(50).optional().describe('only this channel, e.g. email, slack, webhook'),
});

export function communicationRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  const tags = ['communications'];

  return async (app: App) => {
    app.get(
      '/communications/search',
      {
        schema: {
          tags,
          summary: 'Search communications',
          description: 'Full-text search over subjects and texts, best match first (then newest).',
          querystring: SearchQuery,
          response: { 200: pageOf(SearchHitSchema), ...errors(400, 401, 403) },
        },
      },
      async (req) => {
        const { q, customer, channel, limit, cursor } = req.query;
        const page = await searchCommunications(db, { q, customerId: customer, channel }, { limit, cursor });
        return { data: page.data, next_cursor: page.nextCursor };
      },
    );

    app.get(
      '/communications/:id',
      {
        schema: {
          tags,
          summary: 'Get a communication',
          description: 'With `fullText`, the message as received (quotes included) when it differs from `text`.',
          params: IdParams,
          response: { 200: CommunicationSchema.extend({ fullText: z.string().nullable() }), ...errors(401, 403, 404) },
        },
      },
      async (req) => {
        const c = await getCommunication(db, req.params.id);
        if (!c) throw notFound('communication', req.params.id);
        return c;
      },
    );
  };
}
