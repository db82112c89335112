// Every console page module, registered in one place.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { customerPageRoutes } from './customer-page.js';
import { customersRoutes } from './customers.js';
import { dashboardRoutes } from './dashboard.js';
import { reviewRoutes } from './review.js';
import { searchRoutes } from './search.js';
import { settingsRoutes } from './settings.js';

export async function consolePages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  authRoutes(app, ctx);
  dashboardRoutes(app, ctx);
  customersRoutes(app, ctx);
  customerPageRoutes(app, ctx);
  searchRoutes(app, ctx);
  reviewRoutes(app, ctx);
  auditRoutes(app, ctx);
  settingsRoutes(app, ctx);
}
