import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sendThreadCallbackId } from '../../../adapters/slack/blocks.js';
import { configSchema } from '../../../src/config.js';

const manifest = readFileSync(new URL('../../../slack-manifest.yml', import.meta.url), 'utf8');

describe('slack-manifest.yml', () => {
  it('declares the slash command the app listens to, escaped', () => {
    const defaultCommand = configSchema.shape.SLACK_COMMAND.parse(undefined);
    expect(manifest).toMatch(new RegExp(`- command: ${defaultCommand}\\n`));
    expect(manifest).toContain('should_escape: true');
  });
  it('declares the message shortcut with the callback id the app handles', () => {
    expect(manifest).toContain(`callback_id: ${sendThreadCallbackId}`);
  });
  it('sends every request to the one Slack route', () => {
    const urls = [...manifest.matchAll(/url: (\S+)/g)].map((m) => m[1]!);
    expect(urls.length).toBe(4);
    for (const u of urls) expect(new URL(u).pathname).toBe('/slack/events');
  });
  it('asks for the scopes the adapter calls need, and message events', () => {
    for (const scope of ['commands', 'chat:write', 'channels:history', 'groups:history', 'users:read', 'users:read.email', 'channels:read', 'channels:join']) {
      expect(manifest).toMatch(new RegExp(`- ${scope}\\b`));
    }
    expect(manifest).toContain('- message.channels');
    expect(manifest).toContain('- message.groups');
  });
});
