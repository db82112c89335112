// /api/v1/communications: full-text search (Chinese and English), single records, and people's
// corrections of a message's kind or sentiment (which the nightly retrain learns from).
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { kinds } from '../../analytics/kind.js';
import { correctKind } from '../../analytics-runner/kind-corrections.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../core/errors.js';
import { getCommunication, searchCommunications } from '../../store/communications-query.js';
import { resolveCustomer } from '../../store/customers-query.js';
import { CommunicationSchema, IdParams, PageQuery, SearchHitSchema, errors, pageOf } from '../schemas.js';
import type { App } from '../types.js';

const SearchQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(500).describe('words to find; Chinese is segmented like stored text, English is stemmed ("refunds" finds "refund"); "quoted phrases" and -exclusions work'),
  customer: z.string().trim().min(1).max(320).optional().describe("only this customer's communications (id, email, phone or external id); one that matches nobody finds nothing"),
  channel: z.string().max(50).optional().describe('only this channel, e.g. email, slack, webhook'),
});

const CorrectionBody = z
  .object({
    kind: z.enum(kinds).optional().describe('the right kind; `other` is stored as a plain message'),
    sentiment: z.enum(['neg', 'neu', 'pos']).optional().describe('the right sentiment class; stored as −1, 0 or 1'),
  })
  .strict()
  .refine((b) => b.kind !== undefined || b.sentiment !== undefined, { message: 'give a kind, a sentiment or both', path: ['kind'] });

const CorrectionSchema = z
  .object({
    id: z.string().describe('the correction'),
    communicationId: z.string(),
    threadId: z.string().nullable().describe('its thread, whose kind was corrected too'),
    customerId: z.string().nullable(),
    old: z.object({ kind: z.string(), sentiment: z.number().nullable() }),
    new: z.object({ kind: z.string(), sentiment: z.number().nullable() }),
    correctedBy: z.string(),
    source: z.enum(['api', 'cli', 'slack', 'console']),
    createdAt: z.string(),
  })
  .meta({ id: 'KindCorrection' });

const who = (req: FastifyRequest) => (req.apiToken ? `token:${req.apiToken.name}` : 'api');

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
        let customerId: string | undefined;
        if (customer !== undefined) {
          const found = await resolveCustomer(ctx.database.db, customer, ctx.config.RAPPORT_DEFAULT_REGION);
          if (!found) return { data: [], next_cursor: null };
          customerId = found.id;
        }
        const page = await searchCommunications(ctx.database.readDb, { q, customerId, channel }, { limit, cursor });
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

    app.patch(
      '/communications/:id',
      {
        config: { scope: 'write' },
        schema: {
          tags,
          summary: "Correct a communication's kind or sentiment",
          description:
            'Applied at once to the message and its thread, recorded with who corrected it, and learned by the nightly retrain of the kind classifier.',
          params: IdParams,
          body: CorrectionBody,
          response: { 200: CorrectionSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (req) => {
        const corrected = await correctKind(db, req.params.id, { kind: req.body.kind, sentiment: req.body.sentiment, by: who(req), source: 'api' });
        // The message's customer is not at hand; corrections are rare enough to drop every card.
        await ctx.shared.cards.forgetAll();
        return corrected;
      },
    );
  };
}
