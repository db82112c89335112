import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../../src/core/inbound-message.js';
import { messageIdForms, normalizeSubject, planThread, stripSubjectPrefixes } from '../../../src/core/threading.js';

describe('normalizeSubject', () => {
  it.each([
    ['Re: Invoice 42', 'invoice 42'],
    ['RE: re: Fwd: FW: Invoice 42', 'invoice 42'],
    ['AW: WG: Rechnung', 'rechnung'],
    ['SV: VS: Antw: Faktura', 'faktura'],
    ['Re[2]: Invoice', 'invoice'],
    ['Re^3: Invoice', 'invoice'],
    ['回复: 发货延迟', '发货延迟'],
    ['回复：发货延迟', '发货延迟'],
    ['答复： 转发：发货延迟', '发货延迟'],
    ['回覆：轉寄：發貨延遲', '發貨延遲'],
    ['ＲＥ：Ｆｗｄ： 订单  问题', '订单 问题'],
    ['Ｒｅ: 订单', '订单'],
    ['[Support] Re: Login fails', 'login fails'],
    ['  Re:   Re:Spacing   here ', 'spacing here'],
    ['Rebate request', 'rebate request'],
    ['Fwd 2 things', 'fwd 2 things'],
    ['[Support] Login fails', '[support] login fails'],
    ['', ''],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeSubject(input)).toBe(expected);
  });

  it('keeps the case of the subject it shows', () => {
    expect(stripSubjectPrefixes('RE: Fwd: Order ABC-1')).toBe('Order ABC-1');
  });
});

describe('messageIdForms', () => {
  it('finds a message stored with or without angle brackets', () => {
    expect(messageIdForms(['<a@b>', ' c@d '])).toEqual(['<a@b>', 'a@b', 'c@d', '<c@d>']);
  });
});

const base = (extra: Partial<InboundMessage>): InboundMessage => ({
  channel: 'email', externalId: '<m3@x>', threadHints: {}, from: { email: 'a@b.c' }, to: [], text: '', attachments: [],
  occurredAt: new Date('2026-03-15T00:00:00Z'), flags: [], ...extra,
});

describe('planThread', () => {
  it('uses an explicit key first, even with headers and a subject', () => {
    const p = planThread(base({ channel: 'slack', externalId: 'T:C:2.0', threadHints: { key: 'C:1.0', inReplyTo: '<x>' }, subject: 'Re: hi' }));
    expect(p.steps).toEqual([{ by: 'key', key: 'C:1.0' }]);
    expect(p.newThreadKey).toBe('C:1.0');
  });

  it('resolves In-Reply-To and References nearest first, then the root as a key', () => {
    const p = planThread(base({ threadHints: { inReplyTo: '<m2@x>', references: ['<m1@x>', '<m2@x>'] }, subject: 'Re: hi' }));
    expect(p.steps[0]).toEqual({ by: 'references', messageIds: ['<m2@x>', 'm2@x', '<m1@x>', 'm1@x'], rootKey: 'm1@x' });
    expect(p.steps[1]).toEqual({ by: 'key', key: 'm1@x' });
    expect(p.steps).toHaveLength(2);
    expect(p.newThreadKey).toBe('m1@x');
  });

  it('falls back to the subject within 14 days either side for email without headers', () => {
    const p = planThread(base({ subject: 'RE: 发货延迟' }));
    expect(p.steps).toEqual([
      { by: 'subject', normalizedSubject: '发货延迟', window: { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-29T00:00:00Z') } },
    ]);
    expect(p.newThreadKey).toBe('m3@x');
  });

  it('starts a new thread for a webhook message without a thread id, whatever its subject', () => {
    const p = planThread(base({ channel: 'webhook', externalId: 'form:7', subject: 'Feedback' }));
    expect(p.steps).toEqual([]);
    expect(p.newThreadKey).toBe('form:7');
  });

  it('does not thread email by an empty subject', () => {
    expect(planThread(base({ subject: 'Re: ' })).steps).toEqual([]);
  });
});
