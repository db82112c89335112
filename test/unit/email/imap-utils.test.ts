import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../adapters/email-imap/backoff.js';
import { planBatches, type HeaderRow } from '../../../adapters/email-imap/batches.js';
import { classifyEmailError, EmailSyncError, toEmailError } from '../../../adapters/email-imap/errors.js';
import { pickFolders } from '../../../adapters/email-imap/folders.js';
import { sinceDate } from '../../../adapters/email-imap/since.js';
import { toUidSet } from '../../../adapters/email-imap/uid-set.js';

const row = (uid: number, known = false, size = 100): HeaderRow => ({ uid, messageId: `<${uid}@x>`, size, known });

describe('IMAP channel utilities', () => {
  it('compacts UIDs into an IMAP sequence set', () => {
    expect(toUidSet([5, 1, 2, 3, 9, 10, 3])).toBe('1:3,5,9:10');
    expect(toUidSet([42])).toBe('42');
    expect(toUidSet([])).toBe('');
  });

  it('batches bodies by count and bytes, carrying known messages without counting them', () => {
    const rows = [row(1), row(2, true), row(3), row(4), row(5, true), row(6)];
    expect(planBatches(rows, 2, 1e9).map((b) => b.map((r) => r.uid))).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(planBatches([row(1, false, 600), row(2, false, 600), row(3, false, 100)], 10, 1000).map((b) => b.map((r) => r.uid))).toEqual([[1], [2, 3]]);
    expect(planBatches([row(1, true), row(2, true)], 1, 10).map((b) => b.length)).toEqual([2]);
  });

  it('reads first-sync windows and rejects nonsense', () => {
    const now = new Date('2026-11-25T00:00:00Z');
    expect(sinceDate('90d', now)?.toISOString()).toBe('2026-08-27T00:00:00.000Z');
    expect(sinceDate('2w', now)?.toISOString()).toBe('2026-11-11T00:00:00.000Z');
    expect(sinceDate('2026-01-31', now)?.toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect(sinceDate('all', now)).toBeNull();
    expect(() => sinceDate('soon', now)).toThrow(EmailSyncError);
  });

  it('maps ImapFlow and socket errors to codes, keeping the original as cause', () => {
    expect(classifyEmailError(Object.assign(new Error('Authentication failed'), { authenticationFailed: true }))).toBe('auth');
    expect(classifyEmailError(Object.assign(new Error('x'), { serverResponseCode: 'NONEXISTENT' }))).toBe('not_found');
    expect(classifyEmailError(Object.assign(new Error('x'), { serverResponseCode: 'NOPERM' }))).toBe('permissions');
    expect(classifyEmailError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('temporary');
    expect(classifyEmailError(Object.assign(new Error('x'), { code: 'NoConnection' }))).toBe('temporary');
    expect(classifyEmailError(Object.assign(new Error('x'), { code: 'ENOTFOUND' }))).toBe('config');
    expect(classifyEmailError(Object.assign(new Error('x'), { code: 'ParserError3' }))).toBe('protocol');
    expect(classifyEmailError(Object.assign(new Error('x'), { code: 'secret_key_wrong' }))).toBe('config');
    const original = Object.assign(new Error('boom'), { code: 'ETIMEOUT' });
    const wrapped = toEmailError(original, 'fetching');
    expect(wrapped).toMatchObject({ code: 'temporary', message: 'fetching: boom' });
    expect(wrapped.cause).toBe(original);
  });

  it('finds the Sent folder by SPECIAL-USE, whatever it is called', () => {
    const listed = [{ path: 'INBOX', specialUse: '\\Inbox' }, { path: '已发送', specialUse: '\\Sent' }, { path: 'Archive' }];
    expect(pickFolders([], listed)).toEqual([{ path: 'INBOX', role: 'inbox' }, { path: '已发送', role: 'sent' }]);
    expect(pickFolders(['INBOX', 'Archive', '\\Sent'], listed).map((f) => f.role)).toEqual(['inbox', 'other', 'sent']);
    expect(pickFolders(['\\Sent'], [{ path: 'INBOX' }])).toEqual([]);
  });

  it('backs off exponentially with jitter, slower for errors a person must fix', () => {
    const opts = { initialMs: 1000, maxMs: 60_000 };
    expect(backoffDelay(0, 'temporary', opts, () => 0)).toBe(500);
    expect(backoffDelay(3, 'temporary', opts, () => 1)).toBe(8000);
    expect(backoffDelay(20, 'temporary', opts, () => 1)).toBe(60_000);
    expect(backoffDelay(0, 'auth', opts, () => 1)).toBe(8000);
  });
});
