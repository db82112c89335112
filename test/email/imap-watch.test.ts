// The long-running sync: IDLE delivers new mail within seconds, and a dovecot restart is survived
// by reconnecting with backoff.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/context.js';
import { startEmailSync, type EmailSyncService } from '../../src/channels/email.js';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.js';
import { plainMessage } from '../helpers/mail-fixtures.js';
import { emailTestContext, storedEmails, waitFor } from './email-test-context.js';

let dovecot: DovecotServer;
let ctx: AppContext;
let service: EmailSyncService | null = null;

beforeAll(async () => {
  dovecot = await startDovecot();
  ({ ctx } = await emailTestContext(dovecot));
});

afterAll(async () => {
  await service?.stop();
  await ctx?.close();
  await dovecot?.close();
});

const has = (id: string) => async () => (await storedEmails(ctx.database.db)).some((m) => m.externalId === `<${id}@customer-co.com>`);

describe('startEmailSync (IDLE loop)', () => {
  it('captures mail already there, then a message APPENDed by another client within seconds (IDLE, no poll)', async () => {
    await dovecot.append('INBOX', [plainMessage({ id: 'before-start' })]);
    // Poll once an hour: only IDLE can deliver within the test's window.
    service = await startEmailSync(ctx, { pollMs: 3_600_000, backoff: { initialMs: 200, maxMs: 2000 } });
    expect(service.mailboxes()).toEqual(['support']);
    await waitFor(has('before-start'), 10_000, 'the initial pass');

    await new Promise((r) => setTimeout(r, 500)); // let the watcher settle into IDLE
    const sent = Date.now();
    await dovecot.append('INBOX', [plainMessage({ id: 'idle-1' })]);
    await waitFor(has('idle-1'), 5_000, 'IDLE delivery');
    expect(Date.now() - sent).toBeLessThan(5_000);
  });

  it('reconnects after dovecot restarts and captures mail delivered after the restart', async () => {
    await dovecot.restart();
    await dovecot.append('INBOX', [plainMessage({ id: 'after-restart-1' })]);
    await waitFor(has('after-restart-1'), 15_000, 'capture after reconnect');
    const ids = (await storedEmails(ctx.database.db)).map((m) => m.externalId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('reconnects when dovecot is down for a while (exponential backoff) and stops cleanly', async () => {
    await dovecot.stop();
    await new Promise((r) => setTimeout(r, 2500)); // several failed attempts
    await dovecot.start();
    await dovecot.append('INBOX', [plainMessage({ id: 'after-outage-1' })]);
    await waitFor(has('after-outage-1'), 15_000, 'capture after the outage');

    const stopping = Date.now();
    await service!.stop();
    service = null;
    expect(Date.now() - stopping).toBeLessThan(5_000);
  });
});
