// Bearer API tokens for /api/v1. Every route of the plugin states the scope it needs
// (`config: { scope }`, default `read`); read < write < admin. A missing, unknown or revoked token is
// 401, a token without the scope is 403 — both before the body is even read. /healthz, /readyz,
// /openapi.json, webhooks and Slack live outside this plugin and authenticate in their own way.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RapportError } from '../core/errors.js';
import type { Db } from '../store/database.js';
import { scopeAllows, verifyToken, type TokenPrincipal, type TokenScope } from '../store/tokens-repo.js';
import type { App } from './types.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The token scope this route needs (default `read`). */
    scope?: TokenScope;
  }
  interface FastifyRequest {
    /** The API token the request was made with (set on /api/v1 routes). */
    apiToken: TokenPrincipal | null;
  }
}

const REALM = 'rapport';

function challenge(reply: FastifyReply, error?: 'invalid_token' | 'insufficient_scope', scope?: TokenScope): void {
  const parts = [`realm="${REALM}"`];
  if (error) parts.push(`error="${error}"`);
  if (scope) parts.push(`scope="${scope}"`);
  reply.header('www-authenticate', `Bearer ${parts.join(', ')}`);
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : '';
}

/** Installs token authentication on this (encapsulated) plugin and documents each route's scope. */
export function installAuth(app: App, db: Db): void {
  app.decorateRequest('apiToken', null);

  app.addHook('onRoute', (route) => {
    const scope = route.config?.scope ?? 'read';
    if (route.schema && !route.schema.hide) {
      const note = `Requires a token with scope \`${scope}\` or higher.`;
      // HEAD routes share the GET route's schema object: note it once.
      const d = route.schema.description;
      if (!d?.includes(note)) route.schema.description = d ? `${d}\n\n${note}` : note;
      route.schema.security = [{ bearer: [] }];
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const token = bearerToken(request);
    if (token === null) {
      challenge(reply);
      throw new RapportError('unauthorized', 'an API token is required: Authorization: Bearer rpt_…');
    }
    const principal = token ? await verifyToken(db, token) : null;
    if (!principal) {
      challenge(reply, 'invalid_token');
      throw new RapportError('unauthorized', 'the API token is invalid or revoked');
    }
    const needs = request.routeOptions.config.scope ?? 'read';
    if (!scopeAllows(principal.scope, needs)) {
      challenge(reply, 'insufficient_scope', needs);
      throw new RapportError('forbidden', `this needs a token with scope ${needs}; this token has ${principal.scope}`, {
        required: needs,
        granted: principal.scope,
      });
    }
    request.apiToken = principal;
  });
}
