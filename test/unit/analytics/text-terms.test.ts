import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../src/analytics/language.js';
import { segmentWords, searchTextOf } from '../../../src/analytics/segment.js';
import { analyzeText, termsOf, wordsOf } from '../../../src/analytics/text-terms.js';

describe('language detection', () => {
  it('names Chinese, English, mixed and empty messages', () => {
    expect(detectLanguage('你好，我们的发货延迟了三天，请尽快处理。')).toBe('zh');
    expect(detectLanguage('The refund request was rejected twice.')).toBe('en');
    expect(detectLanguage('The 发货延迟 problem with WeChat Pay is back again')).toBe('mixed');
    expect(detectLanguage('请帮我看一下 invoice 和 receipt 的问题 please')).toBe('mixed');
    expect(detectLanguage('12345 !!!')).toBe('unknown');
    expect(detectLanguage('こんにちは、注文の件です')).toBe('ja');
  });
});

describe('text pipeline', () => {
  it('keeps English lemmas and drops stop words, emails, URLs, numbers and money', () => {
    const words = wordsOf("The refund requests for order #12345 were rejected; email a.b@x.com or see https://x.com/a. It cost $20 on May 3rd.");
    expect(words).toEqual(expect.arrayContaining(['refund', 'request', 'order', 'reject']));
    for (const noise of ['the', 'for', '12345', 'a.b@x.com', 'https://x.com/a.', '$', '20', 'were']) expect(words).not.toContain(noise);
  });

  it('drops clitics split off by the tokenizer (Emily\'s, don\'t, we\'ll) and the name itself', () => {
    const words = wordsOf("Adding to Emily's note: we don't know why we'll need the logs");
    expect(words).toEqual(['add', 'know', 'need', 'log']);
  });

  it('segments Chinese with jieba, keeping 发货, 客服, 优惠券 whole and dropping stop words', () => {
    const words = wordsOf('你好，我们的发货延迟了，客服说优惠券不能用。');
    expect(words).toEqual(expect.arrayContaining(['发货', '延迟', '客服', '优惠券']));
    for (const stop of ['你好', '我们', '的', '了', '说']) expect(words).not.toContain(stop);
  });

  it('keeps product names whole through the user dictionary', () => {
    expect(wordsOf('我们用钉钉和微信沟通')).toEqual(expect.arrayContaining(['钉钉', '微信']));
    expect(wordsOf('升级到睿博专业版以后很稳定')).not.toContain('睿博专业版');
    expect(wordsOf('升级到睿博专业版以后很稳定', { userWords: ['睿博专业版'] })).toContain('睿博专业版');
  });

  it('handles a mixed message token by token, and phrases never cross a language change or a dropped word', () => {
    const { language, chunks } = analyzeText('The 发货延迟 problem, refund request pending');
    expect(language).toBe('mixed');
    expect(chunks).toEqual([['发货', '延迟'], ['problem'], ['refund', 'request', 'pending']]);
    expect(termsOf(chunks)).toEqual(['发货', '发货 延迟', '延迟', 'problem', 'refund', 'refund request', 'request', 'request pending', 'pending']);
  });

  it('keeps the search segmentation exports unchanged', () => {
    expect(segmentWords('发货延迟 Refund')).toEqual(['发货', '延迟', 'refund']);
    expect(searchTextOf('主题', null, 'Body text')).toBe('主题 body text');
  });
});
