// /api/v1/tokens: API token management for admin tokens (the CLI does the same with `rapport token`).
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { notFound } from '../../core/errors.js';
import { createToken, listTokens, revokeToken, tokenScopes } from '../../store/tokens-repo.js';
import { IdParams, TokenSchema, errors } from '../schemas.js';
import type { App } from '../types.js';

export function tokenRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  const tags = ['tokens'];
  const config = { scope: 'admin' as const };

  return async (app: App) => {
    app.get(
      '/tokens',
      {
        config,
        schema: {
          tags,
          summary: 'List API tokens',
          description: 'Tokens themselves are never shown again; `prefix` tells them apart.',
          response: { 200: z.object({ data: z.array(TokenSchema) }), ...errors(401, 403) },
        },
      },
      async () => ({ data: await listTokens(db) }),
    );

    app.post(
      '/tokens',
      {
        config,
        schema: {
          tags,
          summary: 'Create an API token',
          description: 'The answer holds `token`, shown this once: store it now.',
          body: z.object({ name: z.string().trim().min(1).max(200), scope: z.enum(tokenScopes) }).strict(),
          response: { 201: TokenSchema.extend({ token: z.string() }), ...errors(400, 401, 403) },
        },
      },
      async (req, reply) => {
        reply.status(201);
        return createToken(db, req.body);
      },
    );

    app.delete(
      '/tokens/:id',
      {
        config,
        schema: {
          tags,
          summary: 'Revoke an API token',
          description: 'Requests with it are refused from now on (401). Revoking twice is harmless.',
          params: IdParams,
          response: { 200: TokenSchema, ...errors(401, 403, 404) },
        },
      },
      async (req) => {
        const token = await revokeToken(db, req.params.id);
        if (!token) throw notFound('token', req.params.id);
        return token;
      },
    );
  };
}
