import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackApi } from '../../../adapters/slack/slack-api.js';
import { isRapportError } from '../../../src/core/errors.js';
import { SlackStandIn } from '../../helpers/slack-stand-in.js';

let standIn: SlackStandIn;
const log = { debug() {}, info() {}, warn() {}, error() {} };
const api = (interval = 300) => new SlackApi({ token: 'xoxb-t', slackApiUrl: standIn.apiUrl, log, perChannelIntervalMs: interval, retries: 3 });

beforeAll(async () => {
  standIn = await SlackStandIn.start();
});
beforeEach(() => standIn.reset());
afterAll(async () => standIn?.close());

describe('SlackApi (the one path to Slack)', () => {
  it('waits out a 429 Retry-After and then succeeds', async () => {
    standIn.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    await api().postMessage('C1', { text: 'hello' });
    const calls = standIn.callsOf('chat.postMessage');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('waits out a 429 on a response_url too', async () => {
    standIn.failNext('response', { status: 429, retryAfter: 1 });
    await api().respond(standIn.responseUrl('r1'), 'C1', { text: 'hi' });
    const posts = standIn.responsesTo('r1');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('keeps messages to one channel apart, without delaying other channels', async () => {
    const a = api(400);
    const started = Date.now();
    await Promise.all([a.postMessage('C1', { text: '1' }), a.postMessage('C1', { text: '2' }), a.postMessage('C1', { text: '3' }), a.postMessage('C2', { text: 'x' })]);
    const c1 = standIn.callsOf('chat.postMessage').filter((c) => c.args.channel === 'C1');
    expect(c1.map((c) => c.args.text)).toEqual(['1', '2', '3']);
    expect(c1[1]!.at - c1[0]!.at).toBeGreaterThanOrEqual(390);
    expect(c1[2]!.at - c1[1]!.at).toBeGreaterThanOrEqual(390);
    const c2 = standIn.callsOf('chat.postMessage').find((c) => c.args.channel === 'C2')!;
    expect(c2.at - started).toBeLessThan(300);
  });

  it('turns Slack errors into stable codes', async () => {
    standIn.failNext('chat.postMessage', { error: 'channel_not_found' });
    const e = await api().postMessage('C404', { text: 'x' }).catch((x: unknown) => x);
    expect(isRapportError(e, 'not_found')).toBe(true);
    standIn.failNext('users.info', { error: 'invalid_auth' });
    const auth = await api().userInfo('U1').catch((x: unknown) => x);
    expect(isRapportError(auth, 'unauthorized')).toBe(true);
  });

  it('retries a failing response_url, and refuses one that is not Slack’s', async () => {
    standIn.failNext('response', { status: 500 });
    await api().respond(standIn.responseUrl('r2'), 'C1', { text: 'hi' });
    expect(standIn.responsesTo('r2')).toHaveLength(2);
    const e = await api().respond('http://169.254.169.254/latest', 'C1', { text: 'x' }).catch((x: unknown) => x);
    expect(isRapportError(e, 'forbidden')).toBe(true);
  });

  it('follows conversations.replies cursors to the last page', async () => {
    standIn.pageSize = 2;
    standIn.threads.set('C9:1.1', [1, 2, 3, 4, 5].map((i) => ({ ts: `1.${i}`, thread_ts: '1.1', user: 'U1', text: `m${i}` })));
    const all = await api().threadMessages('C9', '1.1');
    expect(all.map((m) => m.text)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(standIn.callsOf('conversations.replies')).toHaveLength(3);
  });
});
