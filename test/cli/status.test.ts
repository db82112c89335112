// `rapport status` says whether everything works (exit 1 when something needs attention), and
// listings need no secret key: `webhook list` runs without RAPPORT_SECRET_KEY on either database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, uniquePrefix } from '../helpers/redis.js';
import { cliHarness, type CliHarness } from './cli-harness.js';

let cli: CliHarness;
const key = { RAPPORT_SECRET_KEY: 'status-test-secret-key-0123' };
beforeAll(async () => {
  cli = await cliHarness();
}, 300_000);
afterAll(async () => cli?.close());

describe('rapport status and listings', { timeout: 300_000 }, () => {
  it('says all is well on a fresh database, as text and JSON', async () => {
    const res = await cli.run('status');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^database\s+(pglite|postgres) at .*; migrations current \(\d+ applied\)$/m);
    expect(res.stdout).not.toMatch(/:[^@/]*@/); // no password in the location
    expect(res.stdout.trim().split('\n').at(-1)).toBe('all is well');
    const json = JSON.parse((await cli.run('status', '--json')).stdout);
    expect(json).toMatchObject({ ok: true, attention: [], slack: { configured: false }, inbox: { depth: 0, failed: 0, oldestAt: null }, database: { migrations: { pending: [] } } });
  });

  it('exits 1 and says why when Slack does not answer', async () => {
    const res = await cli.runWith({ SLACK_BOT_TOKEN: 'xoxb-status', SLACK_SIGNING_SECRET: 'status-signing-secret', SLACK_API_URL: 'http://127.0.0.1:9/api/' }, 'status', '--json');
    expect(res.code).toBe(1);
    const json = JSON.parse(res.stdout);
    expect(json.ok).toBe(false);
    expect(json.slack).toMatchObject({ configured: true, connected: false });
    expect(json.attention[0]).toMatch(/^Slack: /);
  });

  it('says whether Redis answers, and exits 1 when REDIS_URL cannot be reached', async () => {
    const up = await cli.runWith({ REDIS_URL: redisUrl, RAPPORT_REDIS_PREFIX: uniquePrefix('status') }, 'status');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/^redis\s+connected, keys under rapport-test:status:/m);
    const down = await cli.runWith({ REDIS_URL: 'redis://:hunter2-secret@127.0.0.1:9' }, 'status', '--json');
    expect(down.code).toBe(1);
    const json = JSON.parse(down.stdout);
    expect(json.redis).toEqual({ configured: true, connected: false, prefix: 'rapport:' });
    expect(json.attention).toContainEqual(expect.stringMatching(/^Redis \(REDIS_URL\) cannot be reached/));
    // One warning, and never the URL or its password.
    expect(down.stderr.match(/redis is unavailable/g)).toHaveLength(1);
    expect(down.stderr + down.stdout).not.toContain('hunter2');
  });

  it('lists webhook sources with a header and without RAPPORT_SECRET_KEY', async () => {
    const added = await cli.runWith(key, 'webhook', 'add', 'helpdesk', '--preset', 'generic', '--json');
    expect(added.code, added.stderr).toBe(0);
    const secret = JSON.parse(added.stdout).secret as string;
    const listed = await cli.run('webhook', 'list');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(/^NAME\s+PRESET\s+ORIGIN\s+SECRET\s+ADDED\s+ROTATED\s+PREVIOUS SECRET UNTIL$/);
    expect(listed.stdout).toContain(`helpdesk  generic  database  ${secret.slice(0, 12)}…`);
    const status = JSON.parse((await cli.run('status', '--json')).stdout);
    expect(status.webhooks).toEqual([{ name: 'helpdesk', preset: 'generic', origin: 'database', lastDeliveryAt: null }]);
  });

  it('lists jobs with a header', async () => {
    expect((await cli.run('jobs', 'run', 'digests')).code).toBe(0);
    const listed = await cli.run('jobs', 'list');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(/^NAME\s+STATE\s+NEXT RUN\s+LAST FINISHED\s+FAILURES\s+LAST FAILURE$/);
    expect(listed.stdout).toMatch(/^digests\s/m);
  });
});
