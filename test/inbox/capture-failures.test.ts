// One bad message never stops the others: a message the database refuses is found by splitting its
// batch, retried with backoff, parked as `failed` with its reason after its attempts, listed by
// `inbox list --failed`, and captured once the cause is gone and it is retried. The refusal here is
// real: a trigger on the communications table raising for one row.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/context.js';
import { inboxStats, listInbox, retryInbox } from '../../src/store/inbox-repo.js';
import { communications, inbox } from '../../src/store/schema/index.js';
import { captureContext, email } from '../capture/helpers.js';
import { channelsFor } from '../helpers/capture.js';

let ctx: AppContext;

beforeAll(async () => {
  ({ ctx } = await captureContext());
  await ctx.database.db.execute(sql`
    create function rapport_test_poison() returns trigger language plpgsql as $$
    begin
      if new.external_id like '%poison%' then raise exception 'poisoned row' using errcode = '22023'; end if;
      return new;
    end $$`);
  await ctx.database.db.execute(sql`create trigger rapport_test_poison before insert on communications for each row execute function rapport_test_poison()`);
});
afterAll(async () => {
  await ctx?.close();
});

describe('a message capture cannot store', () => {
  it('is retried, then parked with its reason, while the rest of its batch is captured', async () => {
    const channels = channelsFor(ctx, { maxAttempts: 2, retryDelayMs: () => 3_000 });
    const good = Array.from({ length: 9 }, (_, i) => email(`buyer${i}@shop.example`));
    const poison = email('buyer@shop.example', { externalId: '<poison-1@shop.example>' });
    const appended = await channels.inbox.appendAll([...good.slice(0, 4), poison, ...good.slice(4)]);
    expect(appended.map((a) => a.status)).toEqual(Array(10).fill('accepted'));

    await channels.worker.drain();
    const captured = await ctx.database.db.select({ id: communications.id }).from(communications);
    expect(captured).toHaveLength(9);
    const [first] = await ctx.database.db.select().from(inbox).where(eq(inbox.externalId, poison.externalId));
    expect(first).toMatchObject({ status: 'pending', attempts: 1, error: { code: '22023', message: 'poisoned row' } });
    expect(first!.payload).not.toBeNull();

    // The second attempt, once due, is the last: parked.
    await new Promise((r) => setTimeout(r, 3_100));
    await channels.worker.drain();
    const [parked] = await ctx.database.db.select().from(inbox).where(eq(inbox.externalId, poison.externalId));
    expect(parked).toMatchObject({ status: 'failed', attempts: 2, error: { code: '22023' } });
    expect(await inboxStats(ctx.database.db)).toMatchObject({ pending: 0, failed: 1 });
    expect((await listInbox(ctx.database.db, { status: 'failing' })).map((e) => e.id)).toEqual([parked!.id]);
    // Waiting for it answers with the reason instead of hanging.
    const [waited] = await channels.worker.settle([parked!.id]);
    expect(waited).toMatchObject({ status: 'rejected', error: { code: '22023', message: 'poisoned row' } });

    // The cause is fixed; a retry captures it.
    await ctx.database.db.execute(sql`drop trigger rapport_test_poison on communications`);
    expect(await retryInbox(ctx.database.db, [parked!.id])).toBe(1);
    await channels.worker.drain();
    const [done] = await ctx.database.db.select().from(inbox).where(eq(inbox.externalId, poison.externalId));
    expect(done).toMatchObject({ status: 'review', payload: null, communicationId: parked!.id });
    expect(await ctx.database.db.select({ id: communications.id }).from(communications).where(eq(communications.id, parked!.id))).toHaveLength(1);
  });

  it('is refused at the door when it is not a message at all, and nothing is appended', async () => {
    const channels = channelsFor(ctx);
    await expect(channels.inbox.accept({ ...email('a@b.example'), occurredAt: new Date(Date.UTC(10000, 0, 1)) })).rejects.toMatchObject({
      code: 'validation',
      details: { fields: [{ field: 'occurredAt', message: 'the year must be between 1900 and 9999' }] },
    });
    const before = await inboxStats(ctx.database.db);
    const results = await channels.inbox.appendAll([{ ...email('a@b.example'), externalId: '' }]);
    expect(results).toEqual([{ id: '', status: 'rejected', error: { code: 'validation', message: expect.stringContaining('externalId') } }]);
    expect(await inboxStats(ctx.database.db)).toEqual(before);
  });
});

describe('the inbox boundary', () => {
  it('cleans NUL bytes and lone surrogates, bounds long fields, and flags the message', async () => {
    const channels = channelsFor(ctx);
    const m = email('nul@shop.example', { subject: `a\u0000b\uD800 ${'长'.repeat(2000)}`, text: `x\u0000y ${'z'.repeat(150_000)}` });
    const [r] = await channels.captureNow([m]);
    expect(r!.status).toBe('created');
    const [row] = await ctx.database.db.select().from(communications).where(eq(communications.id, r!.id));
    expect(row!.subject!.startsWith('ab\uFFFD ')).toBe(true);
    expect(row!.subject!.length).toBe(998);
    expect(row!.text.length).toBe(100_000);
    expect(row!.flags).toEqual(expect.arrayContaining(['sanitized', 'truncated']));
  });
});
