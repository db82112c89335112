// `rapport digest …` as a user runs it: subscriptions, and a preview of today's digest as text,
// JSON and the email's HTML, against a database seeded with one customer's complaint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeCustomer } from '../../src/core/customers.js';
import { createCustomer } from '../../src/store/customers-repo.js';
import { communications } from '../../src/store/schema/index.js';
import { cliHarness, type CliHarness } from './cli-harness.js';

let cli: CliHarness;
beforeAll(async () => {
  cli = await cliHarness();
  await cli.seed(async (d) => {
    const customerId = await createCustomer(d.db, normalizeCustomer({ name: '张伟 <Zhang>', emails: ['zhang@huaxin.example.cn'] }, { defaultRegion: 'CN' }));
    await d.db.insert(communications).values({
      channel: 'email', direction: 'inbound', kind: 'complaint', externalId: '<digest-cli-1@x>', customerId,
      subject: '发货延迟', text: '上周说好的发货又延迟了', occurredAt: new Date(Date.now() - 2 * 3600_000),
    });
  });
}, 120_000);
afterAll(async () => cli?.close());

describe('rapport digest', { timeout: 120_000 }, () => {
  it('subscribes, lists and unsubscribes, refusing a bad time zone with exit code 2', async () => {
    const sub = await cli.run('--json', 'digest', 'subscribe', '--email', 'li.na@example.com', '--at', '08:30', '--tz', 'Asia/Shanghai');
    expect(sub.code, sub.stderr).toBe(0);
    const { id } = JSON.parse(sub.stdout) as { id: string };
    const list = await cli.run('digest', 'list');
    expect(list.stdout).toMatch(/^ID +TARGET +AT +ZONE +OWNER +SEGMENT +ACTIVE$/m);
    expect(list.stdout).toMatch(new RegExp(`^${id}  email li\\.na@example\\.com +08:30 +Asia/Shanghai +- +- +yes$`, 'm'));
    const bad = await cli.run('digest', 'subscribe', '--email', 'x@example.com', '--tz', 'Mars/Olympus');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect((await cli.run('digest', 'unsubscribe', id)).code).toBe(0);
    expect((await cli.run('digest', 'list')).stdout).toContain('no subscriptions');
  });

  it('previews today as text, as JSON data and as the email HTML', async () => {
    const json = await cli.run('--json', 'digest', 'preview', '--tz', 'Asia/Shanghai');
    expect(json.code, json.stderr).toBe(0);
    const data = JSON.parse(json.stdout) as { newByChannel: unknown[]; newFeedback: { subject: string }[] };
    expect(data.newByChannel).toEqual([{ channel: 'email', kind: 'complaint', count: 1 }]);
    expect(data.newFeedback).toEqual([expect.objectContaining({ subject: '发货延迟' })]);

    const text = await cli.run('digest', 'preview');
    expect(text.stdout).toMatch(/New feedback and issues · 新反馈与问题\n\s+- \[complaint\] 张伟 <Zhang>: 发货延迟/);

    const html = await cli.run('digest', 'preview', '--html');
    expect(html.code, html.stderr).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>/);
    expect(html.stdout).toContain('张伟 &lt;Zhang&gt;');
    expect(html.stdout).not.toContain('<Zhang>');
  });
});
