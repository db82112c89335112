// What settled inbox entries became, read back as capture results (for a caller waiting on
// messages another process captured).
import { inArray } from 'drizzle-orm';
import type { CaptureResult } from '../core/inbound-message.js';
import type { DbOrTx } from './database.js';
import type { InboxEntry } from './inbox-repo.js';
import { communications } from './schema/index.js';

export async function capturedResults(db: DbOrTx, entries: InboxEntry[]): Promise<Map<string, CaptureResult>> {
  const out = new Map<string, CaptureResult>();
  const ids = [...new Set(entries.flatMap((e) => (e.communicationId ? [e.communicationId] : [])))];
  if (ids.length === 0) return out;
  const rows = await db
    .select({
      id: communications.id,
      customerId: communications.customerId,
      companyId: communications.companyId,
      threadId: communications.threadId,
      direction: communications.direction,
      match: communications.match,
    })
    .from(communications)
    .where(inArray(communications.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const e of entries) {
    const c = e.communicationId ? byId.get(e.communicationId) : undefined;
    if (!c) continue;
    const noise = e.status === 'noise';
    out.set(e.id, {
      id: c.id,
      status: e.status === 'duplicate' ? 'duplicate' : 'created',
      customerId: c.customerId,
      threadId: c.threadId,
      direction: c.direction,
      match: { rule: c.match?.rule ?? 'unmatched', confidence: c.match?.confidence ?? 0, customerId: noise ? ((c.match as { customerId?: string | null } | null)?.customerId ?? null) : c.customerId, companyId: c.companyId },
      queuedForReview: e.status === 'review',
      noise,
    });
  }
  return out;
}
