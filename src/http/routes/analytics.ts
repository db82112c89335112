// /api/v1 analytics: a customer's segment, value tier and keywords; keywords of a group or trending;
// similar past communications; the latest segment run.
import { z } from 'zod';
import { customerAnalytics } from '../../analytics-runner/customer-analytics.js';
import { keywordsFor, parseWindow, trendingKeywords } from '../../analytics-runner/keywords-query.js';
import { similarTo } from '../../analytics-runner/similar.js';
import { explainValue } from '../../analytics-runner/value-train.js';
import type { AppContext } from '../../context.js';
import { notFound, validationError } from '../../core/errors.js';
import { latestSegmentRun } from '../../store/analytics-repo.js';
import { resolveCustomer } from '../../store/analytics-queries.js';
import { IdParams, errors } from '../schemas.js';
import type { App } from '../types.js';

const Term = z.object({ term: z.string(), score: z.number() });
const SegmentEntry = z.object({ runId: z.string(), at: z.string(), segment: z.number(), en: z.string(), zh: z.string() });
const CustomerAnalyticsSchema = z.object({
  segment: SegmentEntry.nullable(),
  segmentChanges: z.array(SegmentEntry).describe('earlier runs where the segment differed, newest first'),
  valueTier: z.object({ tier: z.string(), confidence: z.number(), modelVersion: z.number() }).nullable(),
  valueExplanation: z.object({ text: z.string(), textZh: z.string() }).nullable().describe('the decision path under the latest model'),
  keywords: z.array(z.string()),
});

export function analyticsRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  const tags = ['analytics'];
  return async (app: App) => {
    app.get(
      '/customers/:id/analytics',
      { schema: { tags, summary: "A customer's segment, value tier and keywords", params: IdParams, response: { 200: CustomerAnalyticsSchema, ...errors(401, 403, 404) } } },
      async (req) => {
        const c = await resolveCustomer(db, req.params.id);
        if (!c) throw notFound('customer', req.params.id);
        const a = await customerAnalytics(ctx, c.id);
        const explanation = a.valueTier ? await explainValue(ctx, c.id).then((e) => ({ text: e.text, textZh: e.textZh })).catch(() => null) : null;
        return { ...a, valueExplanation: explanation };
      },
    );

    app.get(
      '/keywords',
      {
        schema: {
          tags,
          summary: 'Top keywords or trending terms',
          description: 'TF-IDF over words and two-word phrases. With `trending`, terms whose share of messages rose most against the previous window.',
          querystring: z.object({
            customer: z.string().max(320).optional().describe('customer id, email or exact name'),
            segment: z.string().max(200).optional().describe('segment label (English or Chinese) or index in the latest run'),
            company: z.string().uuid().optional(),
            trending: z.string().max(10).optional().describe('a window such as 7d or 2w'),
            limit: z.coerce.number().int().min(1).max(100).default(15),
          }),
          response: {
            200: z.object({
              scope: z.string(),
              messages: z.number(),
              keywords: z.array(Term),
              trending: z.array(z.object({ term: z.string(), recentShare: z.number(), previousShare: z.number(), recentCount: z.number(), rise: z.number(), isNew: z.boolean().describe('not seen in the previous window') })).optional(),
            }),
            ...errors(400, 401, 403, 404),
          },
        },
      },
      async (req) => {
        const q = req.query;
        if (q.trending) {
          const t = await trendingKeywords(ctx, parseWindow(q.trending), { limit: q.limit });
          return { scope: `trending over ${t.days} days`, messages: t.recentMessages, keywords: [], trending: t.terms };
        }
        return keywordsFor(ctx, { customer: q.customer, segment: q.segment, companyId: q.company, limit: q.limit });
      },
    );

    app.get(
      '/similar',
      {
        schema: {
          tags,
          summary: 'Similar past communications',
          querystring: z.object({
            text: z.string().max(5000).optional(),
            communication: z.string().uuid().optional(),
            limit: z.coerce.number().int().min(1).max(50).default(5),
          }),
          response: {
            200: z.object({
              modelVersion: z.number(),
              results: z.array(z.object({ id: z.string(), score: z.number(), customerId: z.string().nullable(), customerName: z.string().nullable(), occurredAt: z.string(), subject: z.string().nullable(), snippet: z.string() })),
            }),
            ...errors(400, 401, 403, 404),
          },
        },
      },
      async (req) => {
        const { text, communication, limit } = req.query;
        if (!text?.trim() && !communication) throw validationError('give text or communication', [{ field: 'text', message: 'text or communication is required' }]);
        return similarTo(ctx, { text, communicationId: communication, limit });
      },
    );

    app.get(
      '/segments',
      {
        schema: {
          tags,
          summary: 'The latest segment run',
          response: {
            200: z.object({
              runId: z.string(), at: z.string(), k: z.number(), balanced: z.boolean(), silhouette: z.number(), customers: z.number(),
              segments: z.array(z.object({
                index: z.number(), en: z.string(), zh: z.string(), size: z.number(),
                traits: z.array(z.object({ feature: z.string(), z: z.number(), en: z.string(), zh: z.string() })).describe('the features that set the segment apart, strongest first'),
              })),
            }),
            ...errors(401, 403, 404),
          },
        },
      },
      async () => {
        const run = await latestSegmentRun(db);
        if (!run) throw notFound('segment run', 'latest');
        return {
          runId: run.id, at: run.createdAt.toISOString(), k: run.k, balanced: run.balanced, silhouette: run.silhouette, customers: run.customers,
          segments: run.segments.map(({ index, en, zh, size, traits }) => ({ index, en, zh, size, traits: traits ?? [] })),
        };
      },
    );
  };
}
