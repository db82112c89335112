// One-off IMAP passes against a real dovecot: resumable cursors, Sent as outbound, UIDVALIDITY
// changes, header-first skipping, Chinese charsets, huge and broken messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncMailboxOnce } from '../../adapters/email-imap/index.js';
import type { AppContext } from '../../src/context.js';
import { configuredMailboxes, emailSyncPorts, runEmailSyncOnce } from '../../src/channels/email.js';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.js';
import { charsetMessage, largeMessage, malformedMimeMessage, plainMessage } from '../helpers/mail-fixtures.js';
import { acceptedEmails, emailTestContext, folderStates, storedEmails, syncFailures } from './email-test-context.js';

let dovecot: DovecotServer;
let ctx: AppContext;

beforeAll(async () => {
  dovecot = await startDovecot();
  ({ ctx } = await emailTestContext(dovecot, { RAPPORT_IMAP_BATCH_SIZE: '4' }));
});

afterAll(async () => {
  await ctx?.close();
  await dovecot?.close();
});

const db = () => ctx.database.db;

describe('rapport sync email --once against dovecot', () => {
  it('captures INBOX as inbound and the \\Sent folder as outbound, with the cursor at the last UID', async () => {
    const inbox = await dovecot.append('INBOX', Array.from({ length: 10 }, (_, i) => plainMessage({ id: `first-${i}` })));
    await dovecot.append('Sent', [
      plainMessage({ id: 'reply-1', from: 'Support <support@ourco.com>', to: 'alice@customer-co.com', subject: 'Re: Question' }),
    ]);

    const summary = await runEmailSyncOnce(ctx);
    expect(summary.errors).toBe(0);
    expect(summary.totals.created).toBe(11);

    const stored = await storedEmails(db());
    expect(stored).toHaveLength(11);
    expect(stored.find((m) => m.externalId === '<reply-1@customer-co.com>')?.direction).toBe('outbound');
    expect(stored.find((m) => m.externalId === '<first-3@customer-co.com>')?.direction).toBe('inbound');
    expect(stored.find((m) => m.externalId === '<first-3@customer-co.com>')?.rawRef).toMatch(/^imap:support\/INBOX;UIDVALIDITY=\d+;UID=4$/);

    const states = await folderStates(db());
    const inboxState = states.find((s) => s.path === 'INBOX')!;
    expect(inboxState.uidValidity).toBe(inbox.uidValidity.toString());
    expect(Number(inboxState.highestUid)).toBe(inbox.uids.at(-1));
    expect(states.find((s) => s.path === 'Sent')?.role).toBe('sent');
  });

  it('a second pass downloads only new mail and skips bodies already stored by Message-ID', async () => {
    // The same message delivered again under a new UID is known from its header alone.
    await dovecot.append('INBOX', [plainMessage({ id: 'first-0' }), plainMessage({ id: 'second-1' })]);
    const summary = await runEmailSyncOnce(ctx);
    const inbox = summary.mailboxes[0]!.folders.find((f) => f.path === 'INBOX')!;
    expect(inbox).toMatchObject({ scanned: 2, fetched: 1, skippedKnown: 1, created: 1 });
    expect(summary.mailboxes[0]!.folders.find((f) => f.path === 'Sent')).toMatchObject({ scanned: 0, fetched: 0 });
    expect(await storedEmails(db())).toHaveLength(12);
  });

  it('resumes after the store fails mid-batch: nothing lost, nothing duplicated', async () => {
    await dovecot.append('INBOX', Array.from({ length: 13 }, (_, i) => plainMessage({ id: `crash-${i}` })));
    const [mailbox] = await configuredMailboxes(ctx);
    const ports = emailSyncPorts(ctx, mailbox!.row);
    let commits = 0;
    const failing = {
      ...ports,
      // Two batches commit, then every write fails: the database "dies" inside the third batch.
      commit: async (batch: Parameters<typeof ports.commit>[0]) => {
        commits += 1;
        if (commits > 2) throw Object.assign(new Error('connection terminated unexpectedly'), { code: '57P01' });
        return ports.commit(batch);
      },
    };
    const settings = await mailbox!.load();
    const crashed = await syncMailboxOnce(settings, failing, { batchSize: 4, maxMessageBytes: 1e9, firstSyncSince: 'all' });
    const inboxResult = crashed.folders.find((f) => f.path === 'INBOX')!;
    expect(inboxResult.error?.code).toBe('temporary');
    // Two batches were accepted into the inbox with the cursor; the third left no trace.
    const partial = (await acceptedEmails(db())).filter((id) => id.startsWith('<crash-'));
    expect(partial).toHaveLength(8);
    expect(await syncFailures(db())).toHaveLength(0);

    const resumed = await runEmailSyncOnce(ctx);
    expect(resumed.errors).toBe(0);
    expect(resumed.mailboxes[0]!.folders.find((f) => f.path === 'INBOX')).toMatchObject({ scanned: 5, created: 5, fetched: 5 });
    const all = (await storedEmails(db())).filter((m) => m.externalId.startsWith('<crash-'));
    expect(all.map((m) => m.externalId).sort()).toEqual(Array.from({ length: 13 }, (_, i) => `<crash-${i}@customer-co.com>`).sort());
  });

  it('decodes GBK, GB18030 and Big5 mail delivered over IMAP', async () => {
    await dovecot.append('INBOX', [
      charsetMessage({ id: 'gbk-1', charset: 'GBK', subject: '关于订单发货的问题', body: '您好，我们的订单还没有发货，请尽快处理。' }),
      charsetMessage({ id: 'gb18030-1', charset: 'GB18030', subject: '退款申请 𠮷', body: '客服您好，我想申请退款。𠮷野家' }),
      charsetMessage({ id: 'big5-1', charset: 'Big5', subject: '發票問題', body: '請問發票什麼時候寄出？謝謝。' }),
    ]);
    await runEmailSyncOnce(ctx);
    const stored = await storedEmails(db());
    const byId = (id: string) => stored.find((m) => m.externalId === `<${id}@kehu.cn>`)!;
    expect(byId('gbk-1').subject).toBe('关于订单发货的问题');
    expect(byId('gbk-1').text).toContain('我们的订单还没有发货');
    expect(byId('gb18030-1').subject).toBe('退款申请 𠮷');
    expect(byId('gb18030-1').text).toContain('𠮷野家');
    expect(byId('big5-1').subject).toBe('發票問題');
    expect(byId('big5-1').text).toContain('請問發票什麼時候寄出');
  });

  it('stores a 25 MB message and a malformed MIME message, and records a non-mail message without stopping the folder', async () => {
    await dovecot.append('INBOX', [
      largeMessage('large-25mb', 25 * 1024 * 1024),
      malformedMimeMessage('malformed-1'),
      'this is not an email at all, no header\r\n',
      plainMessage({ id: 'after-bad-1' }),
    ]);
    const summary = await runEmailSyncOnce(ctx);
    expect(summary.errors).toBe(0);
    const stored = await storedEmails(db());
    const large = stored.find((m) => m.externalId === '<large-25mb@customer-co.com>');
    expect(large?.text).toContain('The logs you asked for are attached.');
    expect(large?.attachments[0]).toMatchObject({ name: 'logs.bin' });
    expect(large!.attachments[0]!.size).toBeGreaterThan(18 * 1024 * 1024);
    expect(stored.find((m) => m.externalId === '<malformed-1@customer-co.com>')?.flags).toContain('parse_error');
    expect(stored.find((m) => m.externalId === '<after-bad-1@customer-co.com>')).toBeDefined();

    const failures = await syncFailures(db());
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ folder: 'INBOX', code: 'parse' });
    expect(failures[0]!.reason).toMatch(/not an email/);
    // The cursor moved past the bad message: the next pass does not trip over it again.
    const again = await runEmailSyncOnce(ctx);
    expect(again.totals).toMatchObject({ scanned: 0, failed: 0 });
  });

  it('records a message over the size limit as too_large without downloading it', async () => {
    const { ctx: small } = await emailTestContext(dovecot, { RAPPORT_IMAP_MAX_MESSAGE_MB: '1', RAPPORT_IMAP_NAME: 'small' });
    try {
      const summary = await runEmailSyncOnce(small);
      const inbox = summary.mailboxes[0]!.folders.find((f) => f.path === 'INBOX')!;
      expect(inbox.error).toBeNull();
      const failures = await syncFailures(small.database.db);
      expect(failures.map((f) => f.code)).toEqual(expect.arrayContaining(['too_large']));
      expect((await storedEmails(small.database.db)).some((m) => m.externalId === '<large-25mb@customer-co.com>')).toBe(false);
    } finally {
      await small.close();
    }
  });

  it('re-scans a folder whose UIDVALIDITY changed and stores nothing twice', async () => {
    const before = (await storedEmails(db())).length;
    const oldValidity = (await folderStates(db())).find((s) => s.path === 'INBOX')!.uidValidity;
    await dovecot.wipeMaildir();
    const again = await dovecot.append('INBOX', [
      plainMessage({ id: 'first-1' }),
      plainMessage({ id: 'first-2' }),
      plainMessage({ id: 'crash-5' }),
      plainMessage({ id: 'after-wipe-1' }),
    ]);
    expect(again.uidValidity.toString()).not.toBe(oldValidity);

    const summary = await runEmailSyncOnce(ctx);
    const inbox = summary.mailboxes[0]!.folders.find((f) => f.path === 'INBOX')!;
    expect(inbox).toMatchObject({ uidValidityChanged: true, scanned: 4, skippedKnown: 3, fetched: 1, created: 1 });
    expect(await storedEmails(db())).toHaveLength(before + 1);
    const state = (await folderStates(db())).find((s) => s.path === 'INBOX')!;
    expect(state.uidValidity).toBe(again.uidValidity.toString());
    expect(Number(state.highestUid)).toBe(again.uids.at(-1));
  });

  it('backfills with --since beyond the first-sync window, skipping mail already stored', async () => {
    const { ctx: windowed } = await emailTestContext(dovecot, { RAPPORT_IMAP_SINCE: '30d', RAPPORT_IMAP_NAME: 'windowed' });
    try {
      const old = new Date(Date.now() - 200 * 86_400_000);
      const c = await dovecot.client();
      try {
        await c.append('INBOX', plainMessage({ id: 'old-1', date: old }), [], old);
      } finally {
        await c.logout();
      }
      const first = await runEmailSyncOnce(windowed);
      expect((await storedEmails(windowed.database.db)).some((m) => m.externalId === '<old-1@customer-co.com>')).toBe(false);
      expect(first.totals.created).toBe(4);

      const backfill = await runEmailSyncOnce(windowed, { since: '1y' });
      expect(backfill.totals).toMatchObject({ created: 1, skippedKnown: 4 });
      expect((await storedEmails(windowed.database.db)).some((m) => m.externalId === '<old-1@customer-co.com>')).toBe(true);
    } finally {
      await windowed.close();
    }
  });

  it('reports a wrong password as an auth error without touching the cursors', async () => {
    const { ctx: wrong } = await emailTestContext(dovecot, { RAPPORT_IMAP_PASSWORD: 'not-the-password', RAPPORT_IMAP_NAME: 'wrong' });
    try {
      const summary = await runEmailSyncOnce(wrong);
      expect(summary.errors).toBe(1);
      expect(summary.mailboxes[0]!.error?.code).toBe('auth');
      expect(await folderStates(wrong.database.db)).toHaveLength(0);
    } finally {
      await wrong.close();
    }
  });
});
