import { describe, expect, it } from 'vitest';
import { parseCrmCommand } from '../../../adapters/slack/crm-command.js';
import { slackToPlainText } from '../../../adapters/slack/slack-text.js';

describe('parseCrmCommand', () => {
  it('reads lookups of every kind, unwrapping Slack escapes', () => {
    expect(parseCrmCommand('lookup <mailto:ann@acme.com|ann@acme.com>')).toEqual({ name: 'lookup', query: 'ann@acme.com', share: false });
    expect(parseCrmCommand('lookup <http://acme.com|acme.com> --share')).toEqual({ name: 'lookup', query: 'acme.com', share: true });
    expect(parseCrmCommand('lookup <@U123ABC|ann>')).toMatchObject({ query: '<@U123ABC>' });
    expect(parseCrmCommand('lookup  Zhang   San ')).toMatchObject({ query: 'Zhang San' });
    expect(parseCrmCommand('ann@acme.com')).toMatchObject({ name: 'lookup', query: 'ann@acme.com' });
  });
  it('reads notes with quoted customer names and keeps the text', () => {
    expect(parseCrmCommand('note "Zhang San" 客户要求 <https://x.io|退款>')).toEqual({ name: 'note', customer: 'Zhang San', text: '客户要求 退款 (https://x.io)', share: false });
    expect(parseCrmCommand('note ann@acme.com')).toMatchObject({ name: 'help' });
  });
  it('reads link and unlink with or without a channel', () => {
    expect(parseCrmCommand('link <#C0123ABC|support> Acme Corp')).toEqual({ name: 'link', channelId: 'C0123ABC', target: 'Acme Corp', share: false });
    expect(parseCrmCommand('link Acme')).toEqual({ name: 'link', channelId: null, target: 'Acme', share: false });
    expect(parseCrmCommand('unlink <#C0123ABC>')).toEqual({ name: 'unlink', channelId: 'C0123ABC', share: false });
    expect(parseCrmCommand('unlink')).toEqual({ name: 'unlink', channelId: null, share: false });
    expect(parseCrmCommand('unlink general')).toMatchObject({ name: 'help' });
  });
  it('turns unknown words into help that names them', () => {
    expect(parseCrmCommand('frobnicate')).toEqual({ name: 'help', share: false, problem: 'Unknown subcommand `frobnicate`.' });
    expect(parseCrmCommand('')).toEqual({ name: 'help', share: false, problem: null });
    expect(parseCrmCommand('digest --share')).toEqual({ name: 'digest', share: true });
  });
});

describe('slackToPlainText', () => {
  it('renders mentions, channels, links and entities', () => {
    expect(slackToPlainText('<@U1|ann> in <#C1|general>: see <https://a.io|docs> &amp; <mailto:b@c.io|b@c.io> &lt;3 <!here>')).toBe('@ann in #general: see docs (https://a.io) & b@c.io <3 @here');
  });
});
