// `rapport demo` runs the real CLI on its own fresh embedded database (so it runs once, not per
// database project) and must show the whole product within a minute.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rapportBin } from '../helpers/rapport-bin.js';

const root = join(import.meta.dirname, '../..');

describe('rapport demo', () => {
  it('loads the sample and prints a lookup card and today\'s digest, as JSON too', () => {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [rapportBin, '--json', 'demo'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(Date.now() - t0).toBeLessThan(60_000);
    const out = JSON.parse(r.stdout) as {
      loaded: { customers: number; orders: number; emails: number; slackMessages: number; flaggedAsNoise: number };
      card: { name: string; company: string; totals: { orders: number; communications: number }; recent: { channel: string }[] };
      digest: { newByChannel: { channel: string; count: number }[]; waiting: { customer: { name: string } }[] };
    };
    expect(out.loaded).toMatchObject({ customers: 12, orders: 48, emails: 25, slackMessages: 5, flaggedAsNoise: 2 });
    expect(out.card.name).toBe('张伟');
    expect(out.card.company).toBe('华信科技');
    // Both channels reach the card: the GBK email and the linked Slack channel.
    expect(new Set(out.card.recent.map((c) => c.channel))).toEqual(new Set(['email', 'slack']));
    // All five Slack messages happened in the last 24 hours (counted per kind).
    expect(out.digest.newByChannel.filter((r) => r.channel === 'slack').reduce((n, r) => n + r.count, 0)).toBe(5);
    expect(out.digest.waiting.map((w) => w.customer.name)).toContain('赵敏');
  }, 120_000);
});
