// GET / — the dashboard.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { customersInTier } from '../../store/analytics-repo.js';
import { customerCount, messagesPerDay, segmentSizes, tierCounts } from '../../store/dashboard-queries.js';
import { keywordTrends, negativeFrom, topRevenueCustomers, waitingForReply } from '../../store/digest-queries.js';
import { sendHtml, viewContext } from '../render.js';
import { DashboardPage } from '../views/dashboard.js';

export function dashboardRoutes(app: FastifyInstance, ctx: AppContext): void {
  // The dashboard may be a moment behind: it reads the replica when there is one.
  const db = ctx.database.readDb;
  const c = ctx.config;
  app.get('/', async (req, reply) => {
    const now = new Date();
    const week = { from: new Date(now.getTime() - 7 * 86_400_000), to: now, owner: null, customerIds: null };
    const highValue = (await customersInTier(db, 'high')) ?? (await topRevenueCustomers(db));
    const [perDay, segments, tiers, customers, negative, waiting, trends] = await Promise.all([
      messagesPerDay(db, c.RAPPORT_TIMEZONE, 30, now),
      segmentSizes(db),
      tierCounts(db),
      customerCount(db),
      negativeFrom(db, week, highValue, c.RAPPORT_NEGATIVE_THRESHOLD, 10),
      waitingForReply(db, week, c.RAPPORT_DIGEST_WAITING_HOURS, 10),
      keywordTrends(db, week, 12),
    ]);
    return sendHtml(reply, DashboardPage({ ctx: viewContext(req, reply, c.RAPPORT_TIMEZONE), now, perDay, segments, tiers, customers, negative, waiting, trends }));
  });
}
