// GET /audit — who did what, when (admins).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { listAudit } from '../../store/audit-repo.js';
import { sendHtml, viewContext } from '../render.js';
import { AuditPage } from '../views/audit.js';

export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/audit', { config: { role: 'admin' } }, async (req: FastifyRequest<{ Querystring: Record<string, string | undefined> }>, reply) => {
    const action = req.query.action?.trim().slice(0, 100) || undefined;
    const page = await listAudit(ctx.database.db, { action }, { limit: 100, cursor: req.query.cursor || undefined });
    return sendHtml(reply, AuditPage({ ctx: viewContext(req, reply, ctx.config.RAPPORT_TIMEZONE), page, action }));
  });
}
