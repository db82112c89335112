import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCustomers } from '../../src/importing/import-customers.js';
import { findCustomerByIdentity, getCustomer } from '../../src/store/customers-repo.js';
import { customerHeader, generatedCustomers, writeCsvFile } from '../helpers/import-csv.js';
import { count, importEnv, type ImportEnv } from './import-helpers.js';

let env: ImportEnv;
beforeAll(async () => {
  env = await importEnv();
});
afterAll(async () => env?.close());

const ROWS = 20_000;

describe('importing a large generated file', () => {
  it(`streams ${ROWS.toLocaleString('en-US')} customers in batches, all of them stored once`, { timeout: 600_000 }, async () => {
    const file = env.dir.file('customers-20k.csv');
    await writeCsvFile(file, customerHeader, generatedCustomers(ROWS));
    const progress: number[] = [];
    const summary = await importCustomers(env.deps, file, { batchSize: 1000, onProgress: (done, total) => progress.push(done / total) });

    expect(summary).toMatchObject({ rows: ROWS, created: ROWS, updated: 0, rejected: 0, warnings: 0 });
    expect(await count(env.db, 'customers')).toBe(ROWS);
    // Every row has an email and an external id; every third row a phone.
    expect(await count(env.db, 'identities')).toBe(ROWS * 2 + Math.ceil(ROWS / 3));
    expect(await count(env.db, 'companies')).toBe(500);
    // Progress at the start, after each batch, and at the end (100%).
    expect(progress).toHaveLength(ROWS / 1000 + 2);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);

    const late = await getCustomer(env.db, (await findCustomerByIdentity(env.db, 'external_id', `CUST-${ROWS - 2}`))!);
    expect(late).toMatchObject({ emails: [`user${ROWS - 2}@company499.example.cn`], company: { name: 'Company 499 有限公司' } });
    const tags = await env.db.execute<{ n: number | string }>(sql`select count(*) as n from customers where 'vip' = any(tags)`);
    expect(Number((tags as unknown as { rows: { n: number }[] }).rows[0]!.n)).toBe(ROWS / 2);
  });
});
