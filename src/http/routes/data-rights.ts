// Data rights over the API (admin tokens): GET /customers/:id/export streams everything held
// about one person as JSON; POST /customers/:id/erase deletes it for good (DELETE /customers/:id
// stays a soft delete). See README "Export and erase".
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { eraseCustomerData } from '../../data-rights/erase.js';
import { exportCustomer, exportSubject } from '../../data-rights/export.js';
import { IdParams, errors } from '../schemas.js';
import type { App } from '../types.js';

const who = (req: FastifyRequest) => (req.apiToken ? `token:${req.apiToken.name}` : 'api');

export function dataRightsRoutes(ctx: AppContext) {
  const tags = ['customers', 'data rights'];
  return async (app: App) => {
    app.get(
      '/customers/:id/export',
      {
        config: { scope: 'admin' },
        schema: {
          tags,
          summary: 'Export everything held about a customer',
          description:
            'One JSON document: `customer`, `mergedRecords`, `identities`, `communications` (with full text), `threads`, `orders`, `analytics` (segments, value tiers, keywords), `reviewItems`, `merges` (audit) and `slackProfiles`. Streamed; works for soft-deleted customers too.',
          params: IdParams,
          response: { 200: z.record(z.string(), z.unknown()).describe('the export'), ...errors(401, 403, 404) },
        },
      },
      async (req, reply) => {
        const ids = await exportSubject(ctx, req.params.id);
        reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="customer-${req.params.id}.json"`);
        // A stream is sent as is (never through the response serializer).
        return reply.send(Readable.from(exportCustomer(ctx, ids)) as unknown as Record<string, unknown>);
      },
    );

    app.post(
      '/customers/:id/erase',
      {
        config: { scope: 'admin' },
        schema: {
          tags,
          summary: 'Erase a customer for good',
          description:
            'Hard delete of the customer, customers merged into them, identities, communications, orders, analytics rows, review items, threads only they had, Slack profile cache, merge snapshots, and their entries in other messages\' participants (redacted); keyword counts and word vectors lose their terms. A tombstone (id, who, when, counts) remains. Cannot be undone.',
          params: IdParams,
          response: {
            200: z.object({ customerId: z.string(), erasedBy: z.string(), erasedAt: z.string(), counts: z.record(z.string(), z.number()) }),
            ...errors(401, 403, 404),
          },
        },
      },
      async (req) => eraseCustomerData(ctx, req.params.id, who(req)),
    );
  };
}
