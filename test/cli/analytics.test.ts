// The analytics commands through the real CLI: --json output, exit codes, one-line errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeCustomer } from '../../src/core/customers.js';
import { upsertCustomer } from '../../src/store/customers-repo.js';
import { upsertOrder } from '../../src/store/orders-repo.js';
import { cliHarness, type CliHarness } from './cli-harness.js';

let cli: CliHarness;

beforeAll(async () => {
  cli = await cliHarness();
  await cli.seed(async (database) => {
    for (let i = 0; i < 12; i++) {
      const { id } = await upsertCustomer(database.db, normalizeCustomer({ name: `Buyer ${i}`, emails: [`b${i}@buyer${i}.example`] }, { defaultRegion: 'CN' }));
      for (let o = 0; o < (i < 4 ? 10 : 1); o++) {
        await upsertOrder(database.db, { customerId: id, externalId: `cli-${i}-${o}`, amount: i < 4 ? '900.00' : '30.00', currency: 'CNY', status: 'paid', orderedAt: new Date(Date.now() - (o + 1) * 86_400_000) });
      }
    }
  });
}, 120_000);

afterAll(async () => {
  await cli?.close();
});

describe('rapport analytics commands', { timeout: 120_000 }, () => {
  it('segments run --balanced --json prints the run with equal sizes', async () => {
    const r = await cli.run('segments', 'run', '--k', '3', '--balanced', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { k: number; segments: { size: number; en: string; zh: string }[] };
    expect(out.k).toBe(3);
    expect(out.segments.map((s) => s.size)).toEqual([4, 4, 4]);
    expect(out.segments.every((s) => s.en && s.zh)).toBe(true);
  });

  it('value train with labels, then explain a customer in words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rapport-labels-'));
    const file = join(dir, 'labels.csv');
    writeFileSync(file, ['customer,tier', ...Array.from({ length: 12 }, (_, i) => `b${i}@buyer${i}.example,${i < 4 ? 'high' : 'low'}`)].join('\n'));
    const t = await cli.run('value', 'train', '--labels', file, '--json');
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse(t.stdout)).toMatchObject({ version: 1, labelSource: 'csv', rows: 12, tiers: { high: 4, low: 8 } });
    const e = await cli.run('value', 'explain', 'b0@buyer0.example');
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/Buyer 0: high/);
    expect(e.stdout).toMatch(/→ high/);
  });

  it('fails with one line and exit 2 on bad input, exit 1 when a model is missing', async () => {
    const bad = await cli.run('keywords', '--trending', 'soon');
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const missing = await cli.run('similar', 'refund', '--json');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr)).toMatchObject({ error: { code: 'not_found' } });
  });
});
