// The first hour with Rapport, through the real CLI: the bundled demo files import as shipped,
// errors are one line with the right exit code, and lookup, search, create/update, exports and id
// prefixes work as the README's CLI reference says.
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchTextOf } from '../../src/analytics/segment.js';
import { communications, customers } from '../../src/store/schema/index.js';
import { cliHarness, type CliHarness } from './cli-harness.js';

const root = join(import.meta.dirname, '../..');
/** How each bundled demo file is imported, as the README tells a person to. */
const importCommand: Record<string, string[]> = {
  'customers.csv': ['import', 'customers'],
  'orders.csv': ['import', 'orders'],
  'fx-rates.csv': ['fx', 'load'],
};

let cli: CliHarness;
let dir: string;
const ids = {
  // Two customers sharing the prefix aaaaaa (ambiguous), one alone under bbbbbb.
  twinA: 'aaaaaa11-0000-4000-8000-000000000001',
  twinB: 'aaaaaa22-0000-4000-8000-000000000002',
  single: 'bbbbbb33-0000-4000-8000-000000000003',
};
let mailId = '';

beforeAll(async () => {
  cli = await cliHarness();
  dir = mkdtempSync(join(tmpdir(), 'rapport-first-hour-'));
  // The demo files first, through the CLI, exactly as shipped (the harness reads phones in CN; the
  // files must not need it, so the default region is US here).
  const order = Object.keys(importCommand);
  const files = readdirSync(join(root, 'demo')).sort((a, b) => order.indexOf(a) - order.indexOf(b));
  for (const file of files) {
    const command = importCommand[file];
    if (!command) throw new Error(`demo/${file}: no import command known for it; add one here and in the README`);
    // The sample's rates are into CNY, the currency its revenue is summed in.
    const env: Record<string, string> = { RAPPORT_DEFAULT_REGION: 'US', ...(file === 'fx-rates.csv' ? { RAPPORT_REPORTING_CURRENCY: 'CNY' } : {}) };
    const res = await cli.runWith(env, ...command, join(root, 'demo', file), '--json');
    if (res.code !== 0) throw new Error(`demo/${file}: exit ${res.code}: ${res.stderr}${res.stdout}`);
  }
  mailId = await cli.seed(async ({ db }) => {
    await db.insert(customers).values([
      { id: ids.twinA, name: 'Twin A' },
      { id: ids.twinB, name: 'Twin B' },
      { id: ids.single, name: '单独 客户' },
    ]);
    const [row] = await db
      .insert(communications)
      .values({
        channel: 'email', direction: 'inbound', externalId: '<refund@huaxin-tech.cn>', customerId: ids.single, subject: '退款申请',
        text: '请尽快处理退款，谢谢。Please process the refunds soon.', occurredAt: new Date('2026-03-01T08:00:00Z'),
        searchText: searchTextOf('退款申请', '请尽快处理退款，谢谢。Please process the refunds soon.'),
      })
      .returning({ id: communications.id });
    return row!.id;
  });
}, 600_000);
afterAll(async () => {
  await cli?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the first hour', { timeout: 300_000 }, () => {
  it('imported every demo file as shipped', async () => {
    const res = await cli.run('customers', 'list', '--limit', '200', '--json');
    expect(JSON.parse(res.stdout).data.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['张伟', '赵敏', 'Emily Carter']));
    const zhang = JSON.parse((await cli.run('customers', 'get', 'C-1001', '--json')).stdout);
    expect(zhang.phones).toEqual(['+8613800138000']);
  });

  it('prints its version', async () => {
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
    for (const flag of ['--version', '-V']) expect((await cli.run(flag)).stdout.trim()).toBe(version);
  });

  it('answers a usage error with one line and one hint, exit 2', async () => {
    const res = await cli.run('customers', 'list', '--colour');
    expect(res.code).toBe(2);
    expect(res.stderr).toBe("rapport: unknown option '--colour'\nsee rapport customers list --help\n");
    const json = await cli.run('--json', 'token', 'create', '--name', 'x');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'validation', details: { hint: 'see rapport token create --help' } } });
  });

  it('treats a missing file and a bad setting as bad input (exit 2), an unknown record as not found (exit 1)', async () => {
    const missing = await cli.run('import', 'customers', join(dir, 'nope.csv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^rapport: file .*nope\.csv not found\n$/);
    const region = await cli.runWith({ RAPPORT_DEFAULT_REGION: 'XX' }, 'customers', 'list');
    expect(region.code).toBe(2);
    expect(region.stderr).toMatch(/RAPPORT_DEFAULT_REGION: a region code libphonenumber knows/);
    expect((await cli.run('customers', 'get', 'nobody@nowhere.example')).code).toBe(1);
  });

  it('looks a customer up: a card, a numbered list, or the closest names', async () => {
    const card = await cli.run('lookup', 'zhangwei@huaxin-tech.cn');
    expect(card.code, card.stderr).toBe(0);
    expect(card.stdout).toMatch(/^张伟 · 华信科技$/m);
    expect(card.stdout).toMatch(/totals\s+8 orders/);
    const several = await cli.run('lookup', 'huaxin-tech.cn');
    expect(several.stdout).toMatch(/^2 customers match/);
    expect(several.stdout).toMatch(/^#\s+NAME\s+COMPANY\s+CONTACT\s+ID$/m);
    const none = await cli.run('lookup', '张为');
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('closest names: 张伟');
  });

  it('searches communications in Chinese and English', async () => {
    for (const q of ['退款', 'refund']) {
      const res = await cli.run('search', q, '--json');
      expect(res.code, res.stderr).toBe(0);
      expect(JSON.parse(res.stdout).data.map((h: { id: string }) => h.id)).toEqual([mailId]);
    }
    const none = await cli.run('search', '退款', '--customer', 'C-1001', '--json');
    expect(JSON.parse(none.stdout).data).toEqual([]);
  });

  it('creates and updates a customer with the API\'s validation', async () => {
    const created = await cli.run('customers', 'create', '--name', '黃磊', '--email', 'huang@example.tw', '--phone', '+886 912 345 678', '--tag', 'vip', '--json');
    expect(created.code, created.stderr).toBe(0);
    const c = JSON.parse(created.stdout);
    expect(c).toMatchObject({ name: '黃磊', emails: ['huang@example.tw'], phones: ['+886912345678'], tags: ['vip'] });
    const updated = await cli.run('customers', 'update', 'huang@example.tw', '--owner', 'li.na', '--tag', 'vip', '--tag', 'renewal', '--json');
    expect(JSON.parse(updated.stdout)).toMatchObject({ id: c.id, owner: 'li.na', tags: ['vip', 'renewal'] });
    const cleared = await cli.run('customers', 'update', c.id.slice(0, 8), '--owner', '', '--json');
    expect(JSON.parse(cleared.stdout).owner).toBeNull();
    const bad = await cli.runWith({ RAPPORT_DEFAULT_REGION: 'US' }, 'customers', 'create', '--name', 'X', '--phone', '138 0013 8000');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unparseable phone: "138 0013 8000" \(.*RAPPORT_DEFAULT_REGION=CN/);
    const taken = await cli.run('customers', 'create', '--name', 'Copy', '--email', 'huang@example.tw');
    expect(taken.code).toBe(1);
  });

  it('exports the filtered customer list as CSV that imports again, and as JSON Lines', async () => {
    const file = join(dir, 'vip.csv');
    const res = await cli.run('customers', 'export', '--tag', 'vip', '--output', file);
    expect(res.code, res.stderr).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('id,name,emails,phones,company,domains,tags,owner,external_id,slack_users,created_at,updated_at');
    expect(lines.length).toBe(1 + 4); // 张伟, 陈静, Emily Carter, 黃磊
    const again = await cli.run('import', 'customers', file, '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, updated: 4, rejected: 0 });
    const jsonl = await cli.run('customers', 'export', '--format', 'jsonl', '--q', '华信');
    expect(jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l).name).sort()).toEqual(['张伟', '王芳']);
    // With an id it is one person's data instead (README, Export and erase).
    const one = await cli.run('customers', 'export', ids.single);
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ customer: { id: ids.single } });
  });

  it('exports communications since a date', async () => {
    const res = await cli.run('communications', 'export', '--since', '2026-01-01', '--format', 'jsonl');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual([mailId]);
    expect((await cli.run('communications', 'export', '--since', '2026-04-01')).stdout.trim().split('\n')).toHaveLength(1);
    expect((await cli.run('communications', 'export', '--since', 'last week')).code).toBe(2);
  });

  it('takes a unique id prefix wherever an id is taken', async () => {
    const byPrefix = await cli.run('customers', 'get', 'bbbbbb', '--json');
    expect(JSON.parse(byPrefix.stdout).id).toBe(ids.single);
    const ambiguous = await cli.run('customers', 'get', 'aaaaaa');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toBe('rapport: id prefix aaaaaa matches 2 customers; give more characters\n');
    expect((await cli.run('customers', 'get', 'cccccc')).code).toBe(1);
    const similar = await cli.run('review', 'dismiss', mailId.slice(0, 8));
    // Not in the review queue, but found: the prefix resolved to the communication.
    expect(similar.stderr).toContain(`open review item for communication ${mailId} not found`);
  });
});
