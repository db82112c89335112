// build() returns a ready Fastify app to `inject` into or to listen with (server.ts). It does no I/O
// of its own beyond what the context already opened.
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyReply, type RouteOptions } from 'fastify';
import { z } from 'zod';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { inboxStats } from '../store/inbox-repo.js';
import { errorBody, installErrorHandling } from './errors.js';
import { registerRoutes } from './routes/index.js';
import { errors } from './schemas.js';

export type { App } from './types.js';
import type { App } from './types.js';

export interface BuildOptions {
  ctx: AppContext;
  /** Log HTTP requests (off in tests). */
  logRequests?: boolean;
  /** Called for every route as it is registered (a test checks each one is in /openapi.json). */
  onRoute?: (route: RouteOptions) => void;
}

const health = z.object({ status: z.string() });
const readiness = health.extend({
  inbox: z.object({ pending: z.number(), failed: z.number(), oldest_pending_seconds: z.number().nullable() }).nullable(),
});

/**
 * The console's pages carry no schema of their own (they answer HTML, see src/console); the
 * document still lists them with every answer they can give.
 */
function consolePageSchema(url: string) {
  const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
  return {
    url,
    schema: {
      tags: ['console'],
      security: [],
      summary: `Console: ${url}`,
      description: 'A web console page or form (HTML); needs a signed-in console user unless it is the sign-in page or an asset. Forms need the CSRF token.',
      response: {
        200: html('The page'),
        303: { description: 'Redirect: to the sign-in page without a session, or after a form is handled' },
        400: html('A form field is missing or invalid'),
        401: html('Not signed in (or an expired session)'),
        403: html('The signed-in role may not do this, or the CSRF token is missing'),
        404: html('No such page or record'),
        429: html('Too many sign-in attempts; try again later'),
        500: html('An unexpected error (logged with its request id)'),
        503: html('The database is unavailable'),
      },
    },
  };
}

export async function build({ ctx, logRequests = true, onRoute }: BuildOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: !logRequests }),
    bodyLimit: ctx.config.RAPPORT_BODY_LIMIT,
    trustProxy: true,
    // Errors the router raises before any route (a malformed %-escape, a path segment over the
    // length limit) get the same error body as every other bad request, not Fastify's own shape.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      void reply.status(400).send(errorBody('validation', error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path segment is too long' : 'the URL is not valid'));
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  if (onRoute) app.addHook('onRoute', onRoute);
  installErrorHandling(app as unknown as App);
  // API answers are data for one caller: never sniffed as another type, never cached on the way.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/')) reply.header('x-content-type-options', 'nosniff').header('cache-control', 'no-store');
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Rapport API', version: '1', description: 'Customers, their communications, orders and search.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: (document) => (document.schema ? jsonSchemaTransform(document) : consolePageSchema(document.url)),
    transformObject: jsonSchemaTransformObject,
  });

  const open = { tags: ['service'], security: [] };
  app.get(
    '/healthz',
    { schema: { ...open, summary: 'The process is up', description: 'Needs no token; answers without touching the database.', response: { 200: health.describe('{"status":"ok"}'), ...errors() } } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        ...open,
        summary: 'The database answers',
        description:
          'Needs no token. 503 with {"status":"database unavailable"} when the database does not answer. `inbox`: messages accepted and not yet captured, parked failures, and how long the oldest has waited (seconds).',
        response: { 200: readiness.describe('{"status":"ready","inbox":{"pending":0,"failed":0,"oldest_pending_seconds":null}}'), 503: health.describe('{"status":"database unavailable"}'), 500: errors()[500] },
      },
    },
    async (_req, reply) => {
      const ok = await ctx.database.ping();
      if (!ok) return reply.status(503).send({ status: 'database unavailable' });
      // How far capture is behind: messages accepted and waiting, parked ones, the oldest wait.
      const stats = await inboxStats(ctx.database.db).catch(() => null);
      const inbox = stats && {
        pending: stats.pending,
        failed: stats.failed,
        oldest_pending_seconds: stats.oldestPendingAt ? Math.max(0, Math.round((Date.now() - stats.oldestPendingAt.getTime()) / 1000)) : null,
      };
      return reply.status(200).send({ status: 'ready', inbox });
    },
  );
  app.get(
    '/openapi.json',
    { schema: { ...open, summary: 'This document', description: 'The OpenAPI 3 description of every route.', response: { 200: z.record(z.string(), z.unknown()), ...errors() } } },
    async () => app.swagger() as unknown as Record<string, unknown>,
  );

  await registerRoutes(app, ctx);
  await app.ready();
  return app;
}
