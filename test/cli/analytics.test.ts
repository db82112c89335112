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
    for (let i = 0; i < 24; i++) {
      const { id } = await upsertCustomer(database.db, normalizeCustomer({ name: `Buyer ${i}`, emails: [`b${i}@buyer${i}.example`], externalId: `B-${i}` }, { defaultRegion: 'CN' }));
      for (let o = 0; o < (i < 10 ? 10 : 1); o++) {
        await upsertOrder(database.db, { customerId: id, externalId: `cli-${i}-${o}`, amount: i < 10 ? '900.00' : '30.00', currency: 'CNY', status: 'paid', orderedAt: new Date(Date.now() - (o + 1) * 86_400_000) });
      }
      if (i === 0) await upsertOrder(database.db, { customerId: id, externalId: 'cli-usd', amount: '50.00', currency: 'USD', status: 'paid', orderedAt: new Date(Date.now() - 86_400_000) });
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
    expect(out.segments.map((s) => s.size)).toEqual([8, 8, 8]);
    expect(out.segments.every((s) => s.en && s.zh)).toBe(true);
  });

  it('value train with labels, then explain a customer in words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rapport-labels-'));
    const file = join(dir, 'labels.csv');
    // Two labels: refused with one line and exit 2, nothing goes live.
    writeFileSync(file, 'customer,tier\nB-0,high\nB-1,high\n');
    const few = await cli.run('value', 'train', '--labels', file);
    expect(few.code, few.stderr).toBe(2);
    expect(few.stderr).toMatch(/^rapport: value model not promoted, the previous one stays live: only one tier/);
    expect(few.stderr.trim().split('\n')).toHaveLength(1);
    // Customers named by external id and by email.
    writeFileSync(file, ['customer,tier', ...Array.from({ length: 24 }, (_, i) => `${i % 2 ? `B-${i}` : `b${i}@buyer${i}.example`},${i < 10 ? 'high' : 'low'}`)].join('\n'));
    const t = await cli.run('value', 'train', '--labels', file, '--json');
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse(t.stdout)).toMatchObject({ version: 1, promoted: true, labelSource: 'csv', rows: 24, tiers: { high: 10, low: 14 } });
    const e = await cli.run('value', 'explain', 'b0@buyer0.example');
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/Buyer 0: high/);
    expect(e.stdout).toMatch(/→ high/);
  });

  it('loads exchange rates (all rows checked first) and warns about orders without a rate', async () => {
    const seg = await cli.run('segments', 'run');
    expect(seg.code, seg.stderr).toBe(0);
    expect(seg.stdout).toMatch(/warning: 1 orders in USD are left out of revenue \(no rate to CNY\)/);
    expect(seg.stdout).toMatch(/^SEGMENT +SIZE +LABEL +标签 +SET APART BY$/m);
    expect(seg.stdout).toMatch(/^\d+ +\d+ +.+(↑|↓) \d+\.\d+σ/m);
    const dir = mkdtempSync(join(tmpdir(), 'rapport-fx-'));
    const file = join(dir, 'rates.csv');
    writeFileSync(file, 'currency,rate_to_reporting,as_of\nUSD,7.1,2026-01-01\n');
    expect((await cli.run('fx', 'load', file)).code).toBe(2);
    const env = { RAPPORT_REPORTING_CURRENCY: 'cny' };
    writeFileSync(file, 'currency,rate_to_reporting,as_of\nUSD,7.1,2026-01-01\nEUR,-1,2026-01-01\n');
    const bad = await cli.runWith(env, 'fx', 'load', file);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 3: rate_to_reporting must be a positive number/);
    writeFileSync(file, 'currency,rate_to_reporting,as_of\nusd,7.1,2026-01-01\n');
    const ok = await cli.runWith(env, 'fx', 'load', file);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/loaded 1 rates into CNY for USD/);
    expect((await cli.runWith(env, 'fx', 'list')).stdout).toMatch(/2026-01-01 {2}1 USD = 7.1 CNY/);
    const again = await cli.runWith(env, 'segments', 'run');
    expect(again.stdout).not.toMatch(/warning/);
  }, 300_000);

  it('fails with one line and exit 2 on bad input, exit 1 when a model is missing', async () => {
    const bad = await cli.run('keywords', '--trending', 'soon');
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const missing = await cli.run('similar', 'refund', '--json');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr)).toMatchObject({ error: { code: 'not_found' } });
  });
});
