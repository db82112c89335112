// Every route module, registered in one place. A new area adds one line.
import type { App } from '../types.js';
import type { AppContext } from '../../context.js';
import { consolePlugin } from '../../console/plugin.js';
import { apiV1Routes } from './api-v1.js';
import { slackRoutes } from './slack.js';
import { webhookRoutes } from './webhooks.js';

export async function registerRoutes(app: App, ctx: AppContext): Promise<void> {
  await app.register(apiV1Routes(ctx), { prefix: '/api/v1' });
  await app.register(webhookRoutes(ctx));
  await app.register(slackRoutes(ctx));
  await app.register(consolePlugin(ctx));
  // e.g. await app.register(customerRoutes(ctx), { prefix: '/api/v1' });
}
