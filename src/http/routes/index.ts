// Every route module, registered in one place. A new area adds one line.
import type { App } from '../types.js';
import type { AppContext } from '../../context.js';

export async function registerRoutes(_app: App, _ctx: AppContext): Promise<void> {
  // e.g. await app.register(customerRoutes(ctx), { prefix: '/api/v1' });
}
