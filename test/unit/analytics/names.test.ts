import { describe, expect, it } from 'vitest';
import { toSimplified } from '../../../src/analytics/chinese-script.js';
import { nameWords } from '../../../src/analytics/names.js';
import { analyzeText, wordsOf } from '../../../src/analytics/text-terms.js';

describe('names, greetings and address fragments leave the keywords', () => {
  it('drops English names by part of speech: a greeting, a sign-off, a signature block', () => {
    const words = wordsOf('Hi Sam,\n\nThe refund request for my jackets is pending since Monday.\n\nBest regards,\nMarco Rossi\nBlue Peak Outfitters\nwww.bluepeak.example | +1 415 555 2671');
    expect(words).toEqual(expect.arrayContaining(['refund', 'request', 'jacket', 'pending']));
    for (const gone of ['sam', 'marco', 'rossi', 'outfitters', 'www', 'bluepeak', 'example', 'best', 'regard', 'hi']) expect(words).not.toContain(gone);
  });

  it('keeps a capitalized common word that opens a sentence or a Title Case subject, and acronyms', () => {
    expect(wordsOf('Refund Request For Order\nRefund please.')).toEqual(expect.arrayContaining(['refund', 'request', 'order']));
    expect(wordsOf('Our API integration fails and SSO is down.')).toEqual(expect.arrayContaining(['api', 'integration', 'sso']));
  });

  it('drops the names a deployment knows, in either case, and their parts', () => {
    const names = nameWords({ names: ['Dana Ng', 'Blue Peak Outfitters', '华信科技', '张伟'], handles: ['sam.lee@ours.example', 'li.na', 'support@ours.example'] });
    expect([...names]).toEqual(expect.arrayContaining(['dana', 'blue', 'peak', 'outfitters', 'outfitter', '华信科技', '华信', '张伟', 'sam', 'lee', 'li', 'na']));
    expect(names.has('support')).toBe(false);
    expect(names.has('科技')).toBe(false);
    const words = wordsOf('Dana, the Blue Peak jackets arrived. Thanks, Sam', { names });
    expect(words).toContain('jacket');
    for (const gone of ['dana', 'sam', 'peak']) expect(words).not.toContain(gone);
    // A known name that is also a common word is left only where it is written as a name.
    expect(wordsOf('The blue jackets arrived.', { names })).toContain('blue');
  });

  it('drops Chinese names of people, places and organisations by jieba\'s tags, and greetings', () => {
    const names = nameWords({ names: ['华信科技'] });
    const words = wordsOf('李娜您好，我们第三季度的订单需要在月底前发货，请确认北京市朝阳区仓库的排期。\n此致\n敬礼\n张伟\n华信科技', { names });
    expect(words).toEqual(expect.arrayContaining(['订单', '发货', '仓库']));
    for (const gone of ['李娜', '北京市', '朝阳区', '此致', '敬礼', '华信', '您好']) expect(words).not.toContain(gone);
    expect(wordsOf('我们用钉钉和微信沟通')).toEqual(expect.arrayContaining(['钉钉', '微信']));
  });

  it('folds traditional Chinese to simplified for analysis', () => {
    expect(toSimplified('發票抬頭需要修改')).toBe('发票抬头需要修改');
    expect(toSimplified('plain English 和简体')).toBe('plain English 和简体');
    expect(analyzeText('請幫忙重新開具發票').chunks.flat()).toEqual(expect.arrayContaining(['发票']));
  });

  it('leaves generic words and lemma slips out ("issued" is not an "issue")', () => {
    const words = wordsOf('The invoice was issued for the new business account. There is an issue with the invoice.');
    expect(words).toContain('issue');
    expect(words.filter((w) => w === 'issue')).toHaveLength(1);
    for (const gone of ['new', 'business']) expect(words).not.toContain(gone);
  });
});
