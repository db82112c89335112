import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeCustomer } from '../../src/core/customers.js';
import { createCustomer } from '../../src/store/customers-repo.js';
import { cliHarness, type CliHarness } from './cli-harness.js';

let cli: CliHarness;
let wangId: string;
beforeAll(async () => {
  cli = await cliHarness();
  wangId = await cli.seed(async ({ db }) => {
    const add = (input: Parameters<typeof normalizeCustomer>[0]) => createCustomer(db, normalizeCustomer(input, { defaultRegion: 'CN' }));
    const id = await add({ name: '王芳', emails: ['wang.fang@huaxin.cn'], phones: ['13800138000'], company: '华信科技', tags: ['vip'], owner: 'li', externalId: 'HX-7' });
    for (let i = 0; i < 5; i++) await add({ name: `Trial ${i}`, emails: [`t${i}@trial.io`], tags: ['trial'], owner: 'sam' });
    return id;
  });
});
afterAll(async () => cli?.close());

describe('rapport customers', { timeout: 120_000 }, () => {
  it('gets a customer by id, email, external id or phone', async () => {
    for (const key of [wangId, 'WANG.FANG@huaxin.cn', 'HX-7', '138 0013 8000']) {
      const res = await cli.run('customers', 'get', key, '--json');
      expect(res.code, `${key}: ${res.stderr}`).toBe(0);
      expect(JSON.parse(res.stdout)).toMatchObject({ id: wangId, name: '王芳', phones: ['+8613800138000'], company: { name: '华信科技' } });
    }
    const human = await cli.run('customers', 'get', wangId);
    expect(human.stdout).toMatch(/^name\s+王芳$/m);
    expect(human.stdout).toMatch(/^emails\s+wang\.fang@huaxin\.cn$/m);
  });

  it('fails with one line and exit 1 for an unknown customer', async () => {
    const res = await cli.run('customers', 'get', 'ghost@nowhere.io');
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toBe('rapport: customer ghost@nowhere.io not found\n');
  });

  it('lists with filters and pages with --cursor', async () => {
    const json = async (...args: string[]) => {
      const res = await cli.run('customers', 'list', ...args, '--json');
      expect(res.code, res.stderr).toBe(0);
      return JSON.parse(res.stdout);
    };
    const vip = await json('--tag', 'vip');
    expect(vip.data.map((c: { name: string }) => c.name)).toEqual(['王芳']);
    expect((await json('--q', '华信')).data).toHaveLength(1);
    expect((await json('--company', '华信科技', '--owner', 'li')).data).toHaveLength(1);

    const p1 = await json('--owner', 'sam', '--limit', '3');
    expect(p1.data).toHaveLength(3);
    const p2 = await json('--owner', 'sam', '--limit', '3', '--cursor', p1.next_cursor);
    expect(p2.data).toHaveLength(2);
    expect(p2.next_cursor).toBeNull();
    const names = [...p1.data, ...p2.data].map((c: { name: string }) => c.name).sort();
    expect(names).toEqual(['Trial 0', 'Trial 1', 'Trial 2', 'Trial 3', 'Trial 4']);

    const human = await cli.run('customers', 'list', '--owner', 'sam', '--limit', '3');
    expect(human.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+COMPANY\s+EMAIL\s+OWNER\s+TAGS$/);
    expect(human.stderr).toMatch(/more: rapport customers list --cursor \S+/);
  });

  it('refuses a bad --limit or --cursor with exit 2', async () => {
    const limit = await cli.run('customers', 'list', '--limit', '500');
    expect(limit.code, limit.stderr).toBe(2);
    expect(limit.stderr).toMatch(/^rapport: --limit must be a whole number from 1 to 200/);
    const cursor = await cli.run('customers', 'list', '--cursor', 'nonsense', '--json');
    expect(cursor.code, cursor.stderr).toBe(2);
    expect(JSON.parse(cursor.stderr).error.code).toBe('validation');
  });
});
