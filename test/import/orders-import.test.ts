import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { normalizeCustomer } from '../../src/core/customers.js';
import { importOrders } from '../../src/importing/import-orders.js';
import { createCustomer } from '../../src/store/customers-repo.js';
import { orders } from '../../src/store/schema/index.js';
import { count, importEnv, rejectionOf, type ImportEnv } from './import-helpers.js';

let env: ImportEnv;
let wang: string;
let ann: string;
beforeAll(async () => {
  env = await importEnv();
});
afterAll(async () => env?.close());
beforeEach(async () => {
  await env.db.execute(sql`truncate customers, identities, companies, orders cascade`);
  const add = (input: Parameters<typeof normalizeCustomer>[0]) => createCustomer(env.db, normalizeCustomer(input, { defaultRegion: 'CN' }));
  wang = await add({ name: '王芳', emails: ['wang.fang@huaxin.cn'], externalId: 'HX-1' });
  ann = await add({ name: 'Ann', emails: ['ann.lee@gmail.com'] });
});

const header = 'customer,external_id,amount,currency,status,ordered_at\n';
const stored = () => env.db.select().from(orders).orderBy(asc(orders.externalId));

describe('importing orders from CSV', () => {
  it("links orders to customers by their external id or their email, and stores them exactly", async () => {
    const summary = await importOrders(
      env.deps,
      await env.dir.write(
        'orders.csv',
        header +
          'HX-1,O-1,1234.5,cny,Paid,2024-03-01T09:30:00+08:00\n' +
          'Ann.Lee@GMAIL.com,O-2,99,USD,refunded,2024-03-02\n' +
          'annlee@gmail.com,O-3,0.99,usd,paid,2024-03-03T10:00:00Z\n',
      ),
    );
    expect(summary).toMatchObject({ rows: 3, created: 3, updated: 0, rejected: 0 });
    const rows = await stored();
    expect(rows.map((o) => [o.externalId, o.customerId, o.amount, o.currency, o.status, o.orderedAt.toISOString()])).toEqual([
      ['O-1', wang, '1234.50', 'CNY', 'paid', '2024-03-01T01:30:00.000Z'],
      ['O-2', ann, '99.00', 'USD', 'refunded', '2024-03-02T00:00:00.000Z'],
      // Gmail ignores dots: the same mailbox, the same customer.
      ['O-3', ann, '0.99', 'USD', 'paid', '2024-03-03T10:00:00.000Z'],
    ]);
  });

  it('updates orders by external id when the same file, or a newer export, is imported again', async () => {
    const file = await env.dir.write('o.csv', `${header}HX-1,O-1,10,CNY,pending,2024-03-01\nHX-1,O-2,20,CNY,paid,2024-03-02\n`);
    await importOrders(env.deps, file);
    expect(await importOrders(env.deps, file)).toMatchObject({ created: 0, updated: 2, rejected: 0 });
    expect(await count(env.db, 'orders')).toBe(2);
    const newer = await importOrders(env.deps, await env.dir.write('o2.csv', `${header}HX-1,O-1,12.5,CNY,paid,2024-03-01\nwang.fang@huaxin.cn,O-3,5,CNY,paid,2024-03-05\n`));
    expect(newer).toMatchObject({ created: 1, updated: 1 });
    expect((await stored()).map((o) => [o.externalId, o.amount, o.status])).toEqual([
      ['O-1', '12.50', 'paid'],
      ['O-2', '20.00', 'paid'],
      ['O-3', '5.00', 'paid'],
    ]);
  });

  it('reports every bad row with its line number and reason, and imports the rest', async () => {
    const summary = await importOrders(
      env.deps,
      await env.dir.write(
        'bad-orders.csv',
        header +
          'HX-1,G-1,10,CNY,paid,2024-03-01\n' + // 2
          'nobody@nowhere.cn,B-1,10,CNY,paid,2024-03-01\n' + // 3
          'NO-SUCH-ID,B-2,10,CNY,paid,2024-03-01\n' + // 4
          'HX-1,B-3,"1,234.50",CNY,paid,2024-03-01\n' + // 5
          'HX-1,B-4,-5,CNY,paid,2024-03-01\n' + // 6
          'HX-1,B-5,10.999,CNY,paid,2024-03-01\n' + // 7
          'HX-1,B-6,10,RMB,paid,2024-03-01\n' + // 8
          'HX-1,B-7,10,CNY,paid,2024-02-30\n' + // 9
          'HX-1,B-8,10,CNY,paid,03/01/2024\n' + // 10
          'HX-1,B-9,10,CNY,,2024-03-01\n' + // 11
          ',B-10,10,CNY,paid,2024-03-01\n' + // 12
          'HX-1,,10,CNY,paid,2024-03-01\n' + // 13
          'HX-1,G-2,10,CNY,paid,2024-03-01\n', // 14
      ),
    );
    expect(summary).toMatchObject({ rows: 13, created: 2, rejected: 11 });
    expect(summary.rejectedRows.map((r) => [r.line, r.code])).toEqual([
      [3, 'unknown_customer'],
      [4, 'unknown_customer'],
      [5, 'invalid_amount'],
      [6, 'invalid_amount'],
      [7, 'invalid_amount'],
      [8, 'invalid_currency'],
      [9, 'invalid_date'],
      [10, 'invalid_date'],
      [11, 'missing_value'],
      [12, 'missing_value'],
      [13, 'missing_value'],
    ]);
    const reason = (line: number) => summary.rejectedRows.find((r) => r.line === line)!.reason;
    expect(reason(3)).toMatch(/unknown customer "nobody@nowhere.cn"/);
    expect(reason(5)).toMatch(/invalid amount "1,234.50"/);
    expect(reason(9)).toMatch(/invalid ordered_at "2024-02-30"/);
    expect(reason(11)).toBe('missing status');
    expect((await stored()).map((o) => o.externalId)).toEqual(['G-1', 'G-2']);
  });

  it('refuses an order file without its required columns before writing anything', async () => {
    const e = await rejectionOf(importOrders(env.deps, await env.dir.write('cols.csv', 'customer,external_id,amount\nHX-1,O-1,10\n')));
    expect(e).toMatchObject({ code: 'validation', details: { reason: 'missing_columns', missing: ['currency', 'status', 'ordered_at'] } });
    const notCsv = await rejectionOf(importOrders(env.deps, await env.dir.write('x.csv', `${header}HX-1,O-1,10,CNY,paid,"2024-03-01\n`)));
    expect(notCsv).toMatchObject({ code: 'validation', details: { reason: 'not_csv' } });
    expect(await count(env.db, 'orders')).toBe(0);
  });
});
