// /api/v1: the token-authenticated JSON API. One encapsulated plugin, so its auth hook covers
// these routes and nothing else (health, OpenAPI, webhooks and Slack authenticate their own way).
import type { AppContext } from '../../context.js';
import { installAuth } from '../auth.js';
import { refuseNulBytes } from '../input-errors.js';
import { limitRequests } from '../rate-limit.js';
import type { App } from '../types.js';
import { analyticsRoutes } from './analytics.js';
import { communicationRoutes } from './communications.js';
import { companyRoutes } from './companies.js';
import { customerRoutes } from './customers.js';
import { dataRightsRoutes } from './data-rights.js';
import { digestRoutes } from './digests.js';
import { orderRoutes } from './orders.js';
import { reviewRoutes } from './review.js';
import { tokenRoutes } from './tokens.js';

export function apiV1Routes(ctx: AppContext) {
  return async (app: App) => {
    installAuth(app, ctx.database.db);
    await limitRequests(app, 'api', ctx.config.RAPPORT_RATE_LIMIT_API, ctx.shared.redis);
    refuseNulBytes(app);
    await app.register(customerRoutes(ctx));
    await app.register(dataRightsRoutes(ctx));
    await app.register(companyRoutes(ctx));
    await app.register(orderRoutes(ctx));
    await app.register(communicationRoutes(ctx));
    await app.register(reviewRoutes(ctx));
    await app.register(tokenRoutes(ctx));
    await app.register(analyticsRoutes(ctx));
    await app.register(digestRoutes(ctx));
  };
}
