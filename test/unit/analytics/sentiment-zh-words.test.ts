// Chinese sentiment scores the words jieba gives keywords, made ready by toLexiconWords: no jieba of
// its own with the lexicon as user words.
import { describe, expect, it } from 'vitest';
import { sentimentOf } from '../../../src/analytics/sentiment.js';
import { scoreChineseWords, toLexiconWords } from '../../../src/analytics/sentiment-zh.js';

describe('toLexiconWords', () => {
  it('joins adjacent words that spell a lexicon word, the longest first', () => {
    expect(toLexiconWords(['软件', '一', '打开', '就', '闪', '退'])).toEqual(['软件', '一', '打开', '就', '闪退']);
    expect(toLexiconWords(['没有', '人', '回复', '。'])).toEqual(['没有人回复', '。']);
  });

  it('cuts an intensifier or negator off the sentiment word jieba kept it with', () => {
    expect(toLexiconWords(['太过分', '了'])).toEqual(['太', '过分', '了']);
    expect(toLexiconWords(['满意度', '评价'])).toEqual(['满意度', '评价']);
  });

  it('leaves words that spell no lexicon word as they are', () => {
    const words = ['请问', '运费', '谁', '出', '。'];
    expect(toLexiconWords(words)).toEqual(words);
    expect(toLexiconWords([])).toEqual([]);
  });

  it('makes a word jieba cut into parts count, and an intensified one count more', () => {
    expect(scoreChineseWords(['闪', '退']).hits).toBe(0);
    expect(scoreChineseWords(toLexiconWords(['闪', '退'])).sum).toBeLessThan(0);
    expect(scoreChineseWords(toLexiconWords(['太过分'])).sum).toBeLessThan(scoreChineseWords(['过分']).sum);
  });
});

describe('Chinese sentiment through the keywords jieba', () => {
  it('reads complaints, praise and plain questions', () => {
    expect(sentimentOf('物流单号一直查不到任何信息，已经五天了，太过分了。').label).toBe('negative');
    expect(sentimentOf('软件一打开就闪退').label).toBe('negative');
    expect(sentimentOf('客服非常耐心，问题很快解决了，非常满意！').label).toBe('positive');
    expect(sentimentOf('想了解一下你们专业版的收费标准。').label).toBe('neutral');
  });
});
