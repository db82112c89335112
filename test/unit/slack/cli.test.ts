import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackStandIn } from '../../helpers/slack-stand-in.js';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../../bin/rapport.js', import.meta.url));
let standIn: SlackStandIn;

beforeAll(async () => {
  standIn = await SlackStandIn.start();
});
afterAll(async () => standIn?.close());

const rapport = (args: string[], env: Record<string, string>) =>
  run(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', RAPPORT_DATA_DIR: 'memory://', LOG_LEVEL: 'silent', ...env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('rapport slack', () => {
  it('prints the manifest with this deployment’s URL and command', async () => {
    const r = await rapport(['slack', 'manifest', '--url', 'https://crm.acme.com/', '--socket-mode'], { SLACK_COMMAND: '/customer' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('request_url: https://crm.acme.com/slack/events');
    expect(r.stdout).toContain('- command: /customer');
    expect(r.stdout).toContain('socket_mode_enabled: true');
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => !l.trimStart().startsWith('#')).join('\n')).not.toContain('rapport.example.com');
    // The comment still tells a person what to replace when they paste the file by hand.
    expect(lines.filter((l) => l.startsWith('#')).join('\n')).toContain('replace every https://rapport.example.com');
  }, 120_000);

  it('checks the token against Slack and warns when the workspace is not allowed', async () => {
    const env = { SLACK_BOT_TOKEN: 'xoxb-cli', SLACK_SIGNING_SECRET: 'cli-secret-123', SLACK_API_URL: standIn.apiUrl };
    const ok = await rapport(['slack', 'check'], { ...env, SLACK_ALLOWED_TEAM_IDS: 'T0OURS' });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('(T0OURS)');
    const bad = await rapport(['--json', 'slack', 'check'], { ...env, SLACK_ALLOWED_TEAM_IDS: 'T0ELSE' });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ teamId: 'T0OURS', teamAllowed: false });
    const none = await rapport(['slack', 'check'], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Slack is not configured');
    // Each run starts a process that opens and migrates an in-memory database: slow on a busy machine.
  }, 120_000);
});
