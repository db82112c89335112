// Changes people make to communications from the console: a note on a customer, and a corrected
// kind. Each writes its audit row in the same transaction.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { searchTextOf } from '../analytics/segment.js';
import { notFound, validationError } from '../core/errors.js';
import { recordAudit } from './audit-repo.js';
import type { Db } from './database.js';
import { isUuid } from './pagination.js';
import { communications, customers, threads } from './schema/index.js';

export const communicationKinds = ['feedback', 'question', 'issue', 'complaint', 'praise', 'other', 'note', 'message'] as const;

export interface Acting {
  name: string;
  id: string | null;
}

export const MAX_NOTE_LENGTH = 10_000;

/**
 * A note on a customer: an internal communication of kind `note` on the `console` channel, so it
 * sits in the timeline and in search with everything else.
 */
export async function addNote(db: Db, customerId: string, text: string, by: Acting): Promise<string> {
  const body = text.trim();
  if (!body) throw validationError('the note is empty', [{ field: 'text', message: 'empty' }]);
  if (body.length > MAX_NOTE_LENGTH) throw validationError(`a note has at most ${MAX_NOTE_LENGTH} characters`, [{ field: 'text', message: 'too long' }]);
  return db.transaction(async (tx) => {
    const [customer] = isUuid(customerId) ? await tx.select({ id: customers.id, companyId: customers.companyId }).from(customers).where(eq(customers.id, customerId)) : [];
    if (!customer) throw notFound('customer', customerId);
    const [row] = await tx
      .insert(communications)
      .values({
        channel: 'console',
        direction: 'internal',
        kind: 'note',
        externalId: `note:${randomUUID()}`,
        customerId: customer.id,
        companyId: customer.companyId,
        text: body,
        participants: [{ role: 'from', email: by.name }],
        occurredAt: new Date(),
        searchText: searchTextOf(null, body),
        match: { rule: 'note', confidence: 1 },
      })
      .returning({ id: communications.id });
    await recordAudit(tx, { actor: by.name, actorId: by.id, action: 'note.add', targetType: 'customer', targetId: customer.id, details: { communicationId: row!.id } });
    return row!.id;
  });
}

/** Sets a message's kind (and its thread's, when the thread had the old kind) and audits it. */
export async function correctKind(db: Db, communicationId: string, kind: string, by: Acting): Promise<{ from: string; to: string }> {
  if (!(communicationKinds as readonly string[]).includes(kind)) {
    throw validationError(`the kind must be one of ${communicationKinds.join(', ')}`, [{ field: 'kind', message: 'unknown kind' }]);
  }
  return db.transaction(async (tx) => {
    const [c] = isUuid(communicationId) ? await tx.select({ kind: communications.kind, threadId: communications.threadId }).from(communications).where(eq(communications.id, communicationId)).for('update') : [];
    if (!c) throw notFound('communication', communicationId);
    await tx.update(communications).set({ kind, updatedAt: sql`now()` }).where(eq(communications.id, communicationId));
    if (c.threadId) await tx.update(threads).set({ kind }).where(and(eq(threads.id, c.threadId), eq(threads.kind, c.kind)));
    await recordAudit(tx, { actor: by.name, actorId: by.id, action: 'communication.kind', targetType: 'communication', targetId: communicationId, details: { from: c.kind, to: kind } });
    return { from: c.kind, to: kind };
  });
}
