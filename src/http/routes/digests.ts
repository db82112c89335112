// /api/v1/digests: daily digest subscriptions, and a preview of what a digest says now.
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { notFound } from '../../core/errors.js';
import { validateSubscription } from '../../digest/subscription-input.js';
import { buildDigest, digestOptions } from '../../jobs/digests.js';
import { createSubscription, listSubscriptions, removeSubscription, type DigestSubscription } from '../../store/digest-repo.js';
import { IdParams, errors } from '../schemas.js';
import type { App } from '../types.js';

const Subscription = z
  .object({
    id: z.string(),
    targetKind: z.enum(['slack', 'email']),
    target: z.string(),
    owner: z.string().nullable(),
    segment: z.string().nullable(),
    at: z.string().describe('HH:MM, wall-clock time in timeZone'),
    timeZone: z.string(),
    active: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'DigestSubscription' });

const SubscriptionBody = z.object({
  slack: z.string().max(200).optional().describe('a Slack channel (#name or id); give this or email'),
  email: z.string().max(254).optional().describe('an email address; give this or slack'),
  owner: z.string().max(200).optional().describe('only customers of this owner'),
  segment: z.string().max(200).optional().describe('only customers in this segment (label or index)'),
  at: z.string().max(5).default('09:00').describe('time of day, HH:MM'),
  tz: z.string().max(64).optional().describe('IANA time zone (default RAPPORT_TIMEZONE)'),
});

const view = (s: DigestSubscription) => ({ ...s, createdAt: s.createdAt.toISOString() });

export function digestRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  const tags = ['digests'];

  return async (app: App) => {
    app.get(
      '/digests/subscriptions',
      { schema: { tags, summary: 'List digest subscriptions', response: { 200: z.object({ data: z.array(Subscription) }), ...errors(401, 403) } } },
      async () => ({ data: (await listSubscriptions(db)).map(view) }),
    );

    app.post(
      '/digests/subscriptions',
      {
        config: { scope: 'write' },
        schema: {
          tags,
          summary: 'Subscribe to a daily digest',
          description: 'To a Slack channel or an email address, at a wall-clock time in a time zone (DST-correct). The same target and filters again updates the time: 200 instead of 201.',
          body: SubscriptionBody,
          response: { 200: Subscription, 201: Subscription, ...errors(400, 401, 403) },
        },
      },
      async (req, reply) => {
        const { subscription, created } = await createSubscription(db, validateSubscription(req.body, ctx.config.RAPPORT_TIMEZONE));
        return reply.status(created ? 201 : 200).send(view(subscription));
      },
    );

    app.delete(
      '/digests/subscriptions/:id',
      { config: { scope: 'write' }, schema: { tags, summary: 'Remove a digest subscription', params: IdParams, response: { 204: z.null(), ...errors(401, 403, 404) } } },
      async (req, reply) => {
        if (!(await removeSubscription(db, req.params.id))) throw notFound('digest subscription', req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/digests/preview',
      {
        schema: {
          tags,
          summary: 'What a digest would say now',
          description: 'The 24 hours until now, as data (the sections of the Slack and email digests).',
          querystring: z.object({ owner: z.string().max(200).optional(), segment: z.string().max(200).optional(), tz: z.string().max(64).optional() }),
          response: { 200: z.record(z.string(), z.unknown()), ...errors(400, 401, 403) },
        },
      },
      async (req) => {
        const valid = validateSubscription({ email: 'preview@rapport.invalid', tz: req.query.tz }, ctx.config.RAPPORT_TIMEZONE);
        const digest = await buildDigest(ctx.database.readDb, { slot: new Date(), timeZone: valid.timeZone, owner: req.query.owner ?? null, segment: req.query.segment ?? null, late: false }, digestOptions(ctx));
        return { ...digest };
      },
    );
  };
}
