// The bundled demo, loaded as a new user would: no customer's top keywords hold a person's or a
// company's name, and search finds traditional and simplified Chinese alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildDocumentFrequencies } from '../../src/analytics-runner/customer-analytics.js';
import { keywordsFor } from '../../src/analytics-runner/keywords-query.js';
import type { AppContext } from '../../src/context.js';
import { loadSample, readSample } from '../../src/demo/load-sample.js';
import { searchCommunications } from '../../src/store/communications-query.js';
import { customerCard } from '../../src/store/customer-card.js';
import { captureContext } from '../capture/helpers.js';

let ctx: AppContext;

// Every name in the sample: its customers, companies and staff, and the people who sign or are
// greeted in its messages without being customers (Marco, 李娜, 陈杰).
const names = [
  'emily', 'carter', 'jacob', 'miller', 'olivia', 'brown', 'noah', 'wilson', 'sophia', 'davis', 'liam', 'chen', 'sam', 'lee', 'dana',
  'marco', 'northwind', 'trader', 'traders', 'blue', 'peak', 'outfitter', 'outfitters', 'harbor', 'lab', 'labs',
  '张伟', '王芳', '李强', '陈静', '刘洋', '赵敏', '李娜', '陈杰', '张总', '华信', '华信科技', '金玉', '金玉贸易',
];
const greetings = ['hi', 'hello', 'dear', 'thanks', 'regard', 'best', '您好', '你好', '谢谢', '此致', '敬礼'];
const namesIn = (terms: string[]) => terms.filter((t) => t.split(' ').some((w) => names.includes(w) || greetings.includes(w)));

beforeAll(async () => {
  ({ ctx } = await captureContext({ RAPPORT_INTERNAL_DOMAINS: readSample().internalDomain }));
  await loadSample(ctx);
}, 240_000);

afterAll(async () => {
  await ctx?.close();
});

describe('the demo sample', () => {
  it('has no person or company name among any customer\'s top 10 keywords (queried and on the card)', async () => {
    const { rows } = (await ctx.database.db.execute('select id, name from customers where deleted_at is null order by name' as never)) as unknown as { rows: { id: string; name: string }[] };
    expect(rows.length).toBeGreaterThanOrEqual(12);
    let withKeywords = 0;
    for (const c of rows) {
      const queried = (await keywordsFor(ctx, { customer: c.id, limit: 10 })).keywords.map((k) => k.term);
      const card = (await customerCard(ctx.database.db, c.id))?.keywords ?? [];
      expect({ customer: c.name, names: namesIn(queried) }).toEqual({ customer: c.name, names: [] });
      expect({ customer: c.name, names: namesIn(card) }).toEqual({ customer: c.name, names: [] });
      if (queried.length) withKeywords += 1;
    }
    expect(withKeywords).toBeGreaterThanOrEqual(10);
    const overall = (await keywordsFor(ctx, { limit: 15 })).keywords.map((k) => k.term);
    expect(namesIn(overall)).toEqual([]);
    expect(overall).toEqual(expect.arrayContaining(['退款', '发货', '发票', '优惠券']));
  });

  it('folds traditional Chinese: 发票 and 發票 find the same messages, 優惠券 counts as 优惠券', async () => {
    const simplified = await searchCommunications(ctx.database.db, { q: '优惠券' });
    const traditional = await searchCommunications(ctx.database.db, { q: '優惠券' });
    const ids = (p: typeof simplified) => p.data.map((h) => h.id).sort();
    // The Big5 email writes 優惠券; the others 优惠券.
    expect(simplified.data.map((h) => h.text).join('\n')).toMatch(/優惠券/);
    expect(ids(traditional)).toEqual(ids(simplified));
    expect((await searchCommunications(ctx.database.db, { q: '發票' })).data.length).toBe((await searchCommunications(ctx.database.db, { q: '发票' })).data.length);
    const jinyu = (await keywordsFor(ctx, { customer: 'chenjing@jinyu-trade.com', limit: 10 })).keywords.map((k) => k.term);
    expect(jinyu).toContain('优惠券');
    expect(jinyu.filter((t) => /優|價|問/.test(t))).toEqual([]);
  });

  it('refolds the search text of messages segmented before folding existed at the nightly rebuild', async () => {
    const db = ctx.database.db;
    const before = (await searchCommunications(db, { q: '结算' })).data.map((h) => h.id);
    expect(before).toHaveLength(1);
    await db.execute(`update communications set search_text = '請問 優惠券 結算' where id = '${before[0]}'` as never);
    expect((await searchCommunications(db, { q: '结算' })).data).toHaveLength(0);
    await rebuildDocumentFrequencies(ctx);
    expect((await searchCommunications(db, { q: '结算' })).data.map((h) => h.id)).toEqual(before);
  });
});
