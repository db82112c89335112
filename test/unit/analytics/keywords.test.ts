import { describe, expect, it } from 'vitest';
import {
  addDocument, dfView, emptyDf, groupKeywords, idf, messageKeywords, pruneDf, removeDocument, trendingTerms,
} from '../../../src/analytics/keywords.js';
import { seededRandom } from '../../../src/analytics/random.js';
import { analyzeText, termsOf } from '../../../src/analytics/text-terms.js';

const terms = (text: string) => termsOf(analyzeText(text).chunks);

// Background chatter plus a planted topic that only one group of customers talks about.
const enBackground = [
  'Thanks for the call yesterday, see you next week.', 'Please find the signed contract attached.',
  'Can we move the meeting to Thursday afternoon?', 'The quarterly report looks good to us.',
  'Our office address changed, details below.', 'Happy to confirm the renewal for next year.',
];
const zhBackground = ['谢谢昨天的电话，下周见。', '附件是签好的合同。', '会议能改到周四下午吗？', '季度报表我们看过了。', '公司地址变了，详见下方。', '确认明年续约。'];
const enTopic = [
  'Our refund request is still pending after two weeks.', 'Second refund request this month, still pending.',
  'Any update on the refund request for the broken blender?', 'The refund request form gives an error.',
];
const zhTopic = ['发货延迟已经一周了。', '又是发货延迟，客户很着急。', '请问发货延迟什么时候能解决？', '这批订单发货延迟太严重。'];

function corpus(seed: number) {
  const random = seededRandom(seed);
  const docs: string[][] = [];
  for (let i = 0; i < 200; i++) {
    const pool = random() < 0.5 ? enBackground : zhBackground;
    docs.push(terms(pool[Math.floor(random() * pool.length)] as string));
  }
  const topicDocs = [...enTopic, ...zhTopic].map(terms);
  return { docs, topicDocs };
}

describe('document frequencies', () => {
  it('are kept incrementally and can be undone and pruned', () => {
    const df = emptyDf();
    addDocument(df, ['refund', 'refund', 'request', 'refund request']);
    addDocument(df, ['refund', 'delay']);
    expect(df.documents).toBe(2);
    expect(df.counts.get('refund')).toBe(2);
    removeDocument(df, ['refund', 'delay']);
    expect(df.counts.get('refund')).toBe(1);
    expect(df.counts.has('delay')).toBe(false);
    pruneDf(addDocument(df, ['refund']), 2);
    expect([...df.counts.keys()]).toEqual(['refund']);
  });

  it('weigh rare terms above common ones', () => {
    const df = emptyDf();
    for (let i = 0; i < 10; i++) addDocument(df, i < 9 ? ['order'] : ['order', 'chargeback']);
    expect(idf(dfView(df), 'chargeback')).toBeGreaterThan(idf(dfView(df), 'order'));
    expect(idf(dfView(df), 'never-seen')).toBeGreaterThan(idf(dfView(df), 'chargeback'));
  });
});

describe('keywords', () => {
  it('find a planted topic among the top keywords of its group, in English and Chinese', () => {
    const { docs, topicDocs } = corpus(3);
    const df = emptyDf();
    for (const d of [...docs, ...topicDocs]) addDocument(df, d);
    const en = groupKeywords(topicDocs.slice(0, 4), dfView(df), { limit: 3 }).map((k) => k.term);
    const zh = groupKeywords(topicDocs.slice(4), dfView(df), { limit: 3 }).map((k) => k.term);
    expect(en).toContain('refund request');
    expect(zh).toContain('发货 延迟');
  });

  it('count a phrase only once it recurs, and let it stand for its words', () => {
    const df = emptyDf();
    const first = terms('The refund request is pending.');
    addDocument(df, first);
    expect(messageKeywords(first, dfView(df)).map((k) => k.term)).not.toContain('refund request');
    const second = terms('Another refund request today.');
    addDocument(df, second);
    const top = messageKeywords(second, dfView(df)).map((k) => k.term);
    expect(top).toContain('refund request');
    expect(top).not.toContain('refund');
  });

  it('report trending terms whose share rose against the previous period', () => {
    const { docs, topicDocs } = corpus(5);
    const previous = docs.slice(0, 100);
    const recent = [...docs.slice(100, 150), ...topicDocs, ...topicDocs];
    const trending = trendingTerms(recent, previous, { limit: 5 }).map((t) => t.term);
    expect(trending).toContain('refund request');
    expect(trending).toContain('发货 延迟');
    expect(trendingTerms(previous, previous)).toEqual([]);
    const risen = trendingTerms(recent, previous, { limit: 50 });
    expect(risen.find((t) => t.term === 'refund request')?.isNew).toBe(true);
    expect(risen.filter((t) => !t.isNew).every((t) => t.previousShare > 0)).toBe(true);
  });

  it('show the terms of a window as new when the window before it was empty', () => {
    const recent = ['The refund request is pending.', 'Another refund request today.', '发货延迟了。'].map(terms);
    const trending = trendingTerms(recent, []);
    expect(trending.map((t) => t.term)).toEqual(['refund request']);
    expect(trending[0]).toMatchObject({ isNew: true, recentCount: 2, previousShare: 0 });
  });
});
