// Hang guard: analysis is linear in the size of a message, whatever the message holds. The bound
// here is generous on purpose (a busy machine must not fail it); speed is measured in the bench.
import { describe, expect, it } from 'vitest';
import { analyzeMessage } from '../../../src/analytics/analyze-message.js';
import { emptyDf, dfView } from '../../../src/analytics/keywords.js';
import { searchTextOf } from '../../../src/analytics/segment.js';
import { sentimentOf } from '../../../src/analytics/sentiment.js';
import { boundText, clip, MAX_ANALYZED_CHARS, MAX_TOKEN_CHARS } from '../../../src/analytics/text-bounds.js';
import { analyzeText, wordsOf } from '../../../src/analytics/text-terms.js';

const MB = 1_000_000;
const base64 = (n: number) => Buffer.from(Array.from({ length: Math.ceil((n * 3) / 4) }, (_, i) => (i * 7919 + 13) % 256)).toString('base64').slice(0, n);
const chineseWithoutPunctuation = (n: number) => '我们的发货延迟了客服说优惠券不能用请尽快处理退款申请'.repeat(Math.ceil(n / 26)).slice(0, n);

function seconds(f: () => unknown): number {
  const t = performance.now();
  f();
  return (performance.now() - t) / 1000;
}

describe('bounded tokenization', () => {
  // Warm the models first, so loading them is not counted as analysis.
  analyzeMessage('warm', 'warm up 发货 發票', dfView(emptyDf()));
  searchTextOf('warm 發票');

  it.each([
    ['a 1 MB single token', 'A'.repeat(MB)],
    ['a 1 MB base64 blob', base64(MB)],
    ['100k characters of Chinese without punctuation', chineseWithoutPunctuation(100_000)],
    ['1 MB of 64-character tokens', `${'b'.repeat(MAX_TOKEN_CHARS)} `.repeat(MB / (MAX_TOKEN_CHARS + 1))],
  ])('analyzes %s in well under a second', (_name, text) => {
    expect(seconds(() => analyzeMessage('subject', text, dfView(emptyDf())))).toBeLessThan(2);
    expect(seconds(() => sentimentOf(text))).toBeLessThan(2);
    expect(seconds(() => searchTextOf('subject', text))).toBeLessThan(2);
    expect(seconds(() => analyzeText(text))).toBeLessThan(2);
  });

  it('drops over-long runs as a break, keeps Chinese runs, and clips to the analyzed length', () => {
    expect(wordsOf(`refund ${base64(500)} request`)).toEqual(['refund', 'request']);
    expect(analyzeText(`refund ${base64(500)} request`).chunks).toEqual([['refund'], ['request']]);
    expect(boundText('发货'.repeat(20_000)).length).toBe(MAX_ANALYZED_CHARS);
    expect(wordsOf(chineseWithoutPunctuation(100_000))).toContain('发货');
    expect(clip('ab😀', 3)).toBe('ab');
    expect(searchTextOf(`refund ${'x'.repeat(65)} 發票`)).toBe('refund 发票');
  });
});
