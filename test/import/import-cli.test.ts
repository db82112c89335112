import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeCustomer } from '../../src/core/customers.js';
import { createCustomer } from '../../src/store/customers-repo.js';
import { cliHarness, type CliHarness } from '../cli/cli-harness.js';
import { tempDir, type TempDir } from '../helpers/import-csv.js';
import { count } from './import-helpers.js';

let cli: CliHarness;
let dir: TempDir;
beforeAll(async () => {
  cli = await cliHarness();
  dir = await tempDir();
  await cli.seed(async ({ db }) => {
    await createCustomer(db, normalizeCustomer({ name: 'Seeded', emails: ['seeded@corp.cn'], externalId: 'S-1' }, { defaultRegion: 'CN' }));
  });
});
afterAll(async () => {
  await cli?.close();
  await dir?.remove();
});

describe('rapport import', { timeout: 180_000 }, () => {
  it('prints a summary, exits 0 when every row is imported and 1 when some were rejected', async () => {
    const good = await dir.write('good.csv', 'name,emails,external_id\nAmy,amy@corp.cn,A-1\n');
    const ok = await cli.run('import', 'customers', good);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^customers from .*good\.csv: 1 created, 0 updated, 0 rejected/);

    const mixed = await dir.write('mixed.csv', 'name,emails,domains,company,external_id\nAmy,amy@corp.cn,,,A-1\n,x@corp.cn,,,\nGu,gu@qq.com,qq.com,Gu Co,\n');
    const res = await cli.run('--json', 'import', 'customers', mixed);
    expect(res.code, res.stderr).toBe(1);
    expect(JSON.parse(res.stdout)).toMatchObject({
      kind: 'customers',
      rows: 3,
      created: 1,
      updated: 1,
      rejected: 1,
      warnings: 1,
      rejectedRows: [{ line: 3, code: 'missing_name', reason: 'missing name' }],
      warningRows: [{ line: 4, message: expect.stringMatching(/qq\.com is a free-mail provider/) }],
    });

    const orders = await dir.write('orders.csv', 'customer,external_id,amount,currency,status,ordered_at\nS-1,O-1,10,CNY,paid,2024-03-01\namy@corp.cn,O-2,5,CNY,paid,2024-03-02\n');
    const o = await cli.run('--json', 'import', 'orders', orders);
    expect(o.code, o.stderr).toBe(0);
    expect(JSON.parse(o.stdout)).toMatchObject({ kind: 'orders', created: 2, rejected: 0 });
  });

  it('refuses a bad file with exit code 2, a one-line reason and nothing written', async () => {
    const before = await cli.seed(({ db }) => count(db, 'customers'));
    const noName = await dir.write('noname.csv', 'emails\nz@corp.cn\n');
    const res = await cli.run('--json', 'import', 'customers', noName);
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stderr.trim().split('\n').at(-1)!)).toMatchObject({ error: { code: 'validation', details: { reason: 'missing_columns', missing: ['name'] } } });
    const missing = await cli.run('import', 'orders', dir.file('nope.csv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^rapport: file .*nope\.csv not found$/m);
    expect(await cli.seed(({ db }) => count(db, 'customers'))).toBe(before);
  });
});
