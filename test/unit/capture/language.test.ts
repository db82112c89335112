import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../src/core/language.js';
import { validateInboundMessage } from '../../../src/core/inbound-check.js';

describe('detectLanguage', () => {
  it.each([
    ['我们的订单还没有发货，请尽快处理', 'zh'],
    ['Our order has not shipped yet, please look into it', 'en'],
    ['请帮我看一下 invoice 和 refund', 'mixed'],
    ['Hello team, see the attached invoice. 谢谢', 'en'],
    ['Привет, как дела с заказом?', 'other'],
    ['12345 !!! ---', null],
    ['', null],
  ])('reads %j as %j', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });
});

describe('validateInboundMessage', () => {
  it('names every bad field', () => {
    const bad = { channel: 'E-Mail', externalId: ' ', threadHints: {}, from: { email: 'a@b.c' }, to: 'x', text: 'hi', attachments: [], occurredAt: new Date('nope'), flags: [] };
    try {
      validateInboundMessage(bad as never);
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe('validation');
      expect((e as { details: { fields: { field: string }[] } }).details.fields.map((f) => f.field)).toEqual(['channel', 'externalId', 'occurredAt', 'to']);
    }
  });
});
