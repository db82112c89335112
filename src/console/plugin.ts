// The web console: server-rendered pages in this Fastify service, at the root (`/`, `/customers`,
// …). One encapsulated plugin, so its cookie, form parsing, session, CSRF and HTML error handling
// apply to its routes only; the API, webhooks and Slack keep their own.
//
// Every route needs a signed-in user unless its config says `public`; `role` says the least role
// it needs (viewer < agent < admin). Every POST needs the CSRF token (a hidden `_csrf` field, or the
// x-csrf-token header htmx sends), checked before the role.
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { isRapportError } from '../core/errors.js';
import { statusByCode } from '../http/errors.js';
import type { App } from '../http/types.js';
import { sessionFor, type SessionPrincipal } from '../store/console-sessions-repo.js';
import { SESSION_COOKIE } from './session-cookie.js';
import { roleAllows, type UserRole } from '../store/console-users-repo.js';
import { registerAssets } from './assets.js';
import { sendHtml, viewContext } from './render.js';
import { consolePages } from './routes/index.js';
import { ErrorPage } from './views/error-page.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The console role this route needs (default viewer). */
    role?: UserRole;
    /** A console route anyone may open (sign-in, assets, language switch). */
    public?: boolean;
  }
  interface FastifyRequest {
    /** The console user signed in with the session cookie, if any. */
    consoleUser: SessionPrincipal | null;
  }
}

export { SESSION_COOKIE };

export function consolePlugin(ctx: AppContext) {
  return async (app: App) => {
    const f = app as unknown as FastifyInstance;
    await f.register(cookie);
    await f.register(formbody, { bodyLimit: 256 * 1024 });
    await f.register(csrf, {
      cookieKey: 'rapport_csrf',
      cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: 'auto' },
      getToken: (req) => (req.body as Record<string, string> | undefined)?._csrf ?? (req.headers['x-csrf-token'] as string | undefined),
    });
    f.decorateRequest('consoleUser', null);

    f.addHook('onRequest', async (req, reply) => {
      // Scripts and styles need no session: no database read for them.
      if (req.routeOptions.url === '/assets/:name') return;
      const token = req.cookies[SESSION_COOKIE];
      req.consoleUser = token ? await sessionFor(ctx.database.db, token, ctx.config.RAPPORT_SESSION_IDLE_HOURS) : null;
      if (req.consoleUser || req.routeOptions.config.public) return;
      if (req.method === 'GET' || req.method === 'HEAD') {
        const to = `/login?next=${encodeURIComponent(req.url)}`;
        if (req.headers['hx-request'] === 'true') return reply.header('hx-redirect', to).status(401).send();
        return reply.status(303).header('location', to).send();
      }
      return sendHtml(reply, ErrorPage({ ctx: viewContext(req, reply, ctx.config.RAPPORT_TIMEZONE), status: 401 }), 401);
    });

    f.addHook('preHandler', (req, reply, done) => {
      if (req.method !== 'POST') return done();
      f.csrfProtection(req, reply, (err?: Error) => {
        if (err) return done(err);
        const needs = req.routeOptions.config.role ?? 'viewer';
        if (!req.routeOptions.config.public && !(req.consoleUser && roleAllows(req.consoleUser.role, needs))) {
          return done(Object.assign(new Error('forbidden'), { statusCode: 403, code: 'forbidden' }));
        }
        done();
      });
    });
    f.addHook('preHandler', async (req) => {
      // GET pages that need more than viewer (settings, audit) are refused the same way.
      const needs = req.routeOptions.config.role ?? 'viewer';
      if (req.method !== 'POST' && !req.routeOptions.config.public && !(req.consoleUser && roleAllows(req.consoleUser.role, needs))) {
        throw Object.assign(new Error('forbidden'), { statusCode: 403, code: 'forbidden' });
      }
    });

    f.setErrorHandler((error: Error & { statusCode?: number; code?: string }, req: FastifyRequest, reply: FastifyReply) => {
      const status = isRapportError(error) ? statusByCode[error.code] : (error.statusCode ?? 500);
      if (status >= 500) req.log.error({ err: error }, 'console error');
      const view = viewContext(req, reply, ctx.config.RAPPORT_TIMEZONE);
      const kind = error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET' ? 'csrf' : undefined;
      const message = isRapportError(error) && status < 500 ? error.message : undefined;
      return sendHtml(reply, ErrorPage({ ctx: view, status, kind, message }), status);
    });

    registerAssets(f);
    await consolePages(f, ctx);
  };
}

