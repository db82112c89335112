// The audit log: one row per action taken in the console (and by `rapport user`). Details carry ids,
// codes and counts, never message text, addresses or secrets.
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from './database.js';
import { cutPage, decodeCursor, exactTimestamp, pageSize, type Page, type PageRequest } from './pagination.js';
import { auditLog } from './schema/index.js';

export interface AuditEntry {
  actor: string;
  actorId?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditView {
  id: string;
  actor: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  at: string;
}

export async function recordAudit(db: DbOrTx, e: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actor: e.actor,
    actorId: e.actorId ?? null,
    action: e.action,
    targetType: e.targetType ?? null,
    targetId: e.targetId ?? null,
    details: e.details ?? {},
  });
}

export async function listAudit(db: DbOrTx, filter: { action?: string | undefined; actor?: string | undefined }, page: PageRequest = {}): Promise<Page<AuditView>> {
  const limit = pageSize(page.limit);
  const conds: SQL[] = [];
  if (filter.action) conds.push(eq(auditLog.action, filter.action));
  if (filter.actor) conds.push(eq(auditLog.actor, filter.actor));
  if (page.cursor) {
    const [at, id] = decodeCursor(page.cursor, ['timestamp', 'uuid']);
    conds.push(sql`(${auditLog.at}, ${auditLog.id}) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db
    .select({ r: auditLog, key: exactTimestamp(auditLog.at) })
    .from(auditLog)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit + 1);
  const cut = cutPage(rows, limit, (x) => [x.key, x.r.id]);
  return {
    data: cut.rows.map(({ r }) => ({ id: r.id, actor: r.actor, action: r.action, targetType: r.targetType, targetId: r.targetId, details: r.details, at: r.at.toISOString() })),
    nextCursor: cut.nextCursor,
  };
}
