import { describe, expect, it } from 'vitest';
import { segmentedWebQuery } from '../../../src/store/search-query.js';

describe('segmentedWebQuery', () => {
  it('segments Chinese runs into words, each required', () => {
    expect(segmentedWebQuery('订单退款')).toBe('订单 退款');
    expect(segmentedWebQuery('请尽快处理退款')).toBe('请 尽快 处理 退款');
  });

  it('keeps exclusions, phrases and or', () => {
    expect(segmentedWebQuery('refund -invoice')).toBe('refund -invoice');
    expect(segmentedWebQuery('"Late Delivery" or 发货')).toBe('"late delivery" or 发货');
    expect(segmentedWebQuery('退款 -"发货太慢"')).toBe('退款 -"发货 太慢"');
    expect(segmentedWebQuery('-退款申请')).toBe('-"退款 申请"');
  });

  it('drops punctuation-only tokens and survives an unclosed quote', () => {
    expect(segmentedWebQuery('!!! ，。 refund')).toBe('refund');
    expect(segmentedWebQuery('"refund policy')).toBe('"refund policy"');
    expect(segmentedWebQuery('')).toBe('');
  });
});
