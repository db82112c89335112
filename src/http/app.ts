// build() returns a ready Fastify app to `inject` into or to listen with (server.ts). It does no I/O
// of its own beyond what the context already opened.
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { inboxStats } from '../store/inbox-repo.js';
import { installErrorHandling } from './errors.js';
import { registerRoutes } from './routes/index.js';

export type { App } from './types.js';
import type { App } from './types.js';

export interface BuildOptions {
  ctx: AppContext;
  /** Log HTTP requests (off in tests). */
  logRequests?: boolean;
}

export async function build({ ctx, logRequests = true }: BuildOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: !logRequests }),
    bodyLimit: ctx.config.RAPPORT_BODY_LIMIT,
    trustProxy: true,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
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
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
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
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await registerRoutes(app, ctx);
  await app.ready();
  return app;
}
