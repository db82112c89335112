import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelsOf } from '../../src/channels/index.js';
import { communications, slackUsers, threads } from '../../src/store/schema/index.js';
import { addCustomer, startSlackTest, type SlackTest } from '../helpers/slack-app.js';
import { eventCallback, slashCommand } from '../helpers/slack-requests.js';

let t: SlackTest;
let ann: string;
const channel = 'C0LINKED';

beforeAll(async () => {
  t = await startSlackTest();
  ann = await addCustomer(t, { name: 'Ann Customer', emails: ['ann@client.io'], company: 'Client IO', domains: ['client.io'] });
  await addCustomer(t, { name: 'Carl Known', slackUsers: ['U0CARL'], company: 'Client IO' });
  t.standIn.users.set('U0ANN', { id: 'U0ANN', team_id: 'T0CLIENT', email: 'ann@client.io', real_name: 'Ann' });
  t.standIn.users.set('U0CARL', { id: 'U0CARL', team_id: 'T0CLIENT', real_name: 'Carl' });
  t.standIn.users.set('U0NEW', { id: 'U0NEW', team_id: 'T0CLIENT', real_name: 'Nadia New' });
  t.standIn.users.set('U0STAFF', { id: 'U0STAFF', team_id: 'T0OURS', email: 'me@ours.com', real_name: 'Sam Staff' });
  t.standIn.sharedChannels.add(channel);
  const res = await t.app.inject(slashCommand('link Client IO', { channel, responseUrl: t.standIn.responseUrl('link') }));
  expect(res.body).toContain('Linked');
});

afterAll(async () => t?.close());

const deliver = async (event: Record<string, unknown>, o: { eventId?: string; retry?: number } = {}) => {
  const res = await t.app.inject(eventCallback({ channel, ...event }, { eventId: o.eventId }, o.retry ? { headers: { 'x-slack-retry-num': String(o.retry), 'x-slack-retry-reason': 'http_timeout' } } : {}));
  await t.slack.idle();
  return res;
};
// Acknowledged messages are in the inbox; the capture worker stores them.
const stored = async (ts: string) => {
  await channelsOf(t.ctx).worker.drain();
  return t.database.db.select().from(communications).where(and(eq(communications.channel, 'slack'), eq(communications.externalId, `T0OURS:${channel}:${ts}`)));
};

describe('messages in a linked channel', () => {
  it('captures a customer message, matched by the email on their Slack profile', async () => {
    const res = await deliver({ type: 'message', user: 'U0ANN', user_team: 'T0CLIENT', ts: '1700000000.000100', text: 'Our <https://client.io/invoices|invoice> is wrong &amp; late' });
    expect(res.statusCode).toBe(200);
    const [row] = await stored('1700000000.000100');
    expect(row).toMatchObject({ direction: 'inbound', customerId: ann, text: 'Our invoice (https://client.io/invoices) is wrong & late' });
    expect(row!.rawRef).toBe('https://ours.slack.com/archives/C0LINKED/p1700000000000100');
    const [cached] = await t.database.db.select().from(slackUsers).where(eq(slackUsers.userId, 'U0ANN'));
    expect(cached!.email).toBe('ann@client.io');
  });

  it('uses the cached profile for the next message (no second users.info)', async () => {
    const before = t.standIn.callsOf('users.info').filter((c) => c.args.user === 'U0ANN').length;
    await deliver({ type: 'message', user: 'U0ANN', user_team: 'T0CLIENT', ts: '1700000001.000100', text: 'Also the PDF', files: [{ name: 'invoice.pdf', mimetype: 'application/pdf', size: 2048 }], subtype: 'file_share' });
    expect(t.standIn.callsOf('users.info').filter((c) => c.args.user === 'U0ANN').length).toBe(before);
    const [row] = await stored('1700000001.000100');
    expect(row!.attachments).toEqual([{ name: 'invoice.pdf', type: 'application/pdf', size: 2048 }]);
  });

  it('matches an author by Slack user id, and threads replies by thread_ts', async () => {
    await deliver({ type: 'message', user: 'U0CARL', user_team: 'T0CLIENT', ts: '1700000002.000100', thread_ts: '1700000000.000100', text: 'Same for us' });
    const [reply] = await stored('1700000002.000100');
    const [root] = await stored('1700000000.000100');
    expect(reply!.threadId).toBe(root!.threadId);
    expect(reply!.match?.rule).toBe('identity:slack_user');
  });

  it('treats an unknown outside author as the linked company’s contact', async () => {
    await deliver({ type: 'message', user: 'U0NEW', user_team: 'T0CLIENT', ts: '1700000003.000100', text: 'Hi, new here' });
    const [row] = await stored('1700000003.000100');
    expect(row!.direction).toBe('inbound');
    expect(row!.companyId).not.toBeNull();
  });

  it('counts our own workspace’s people as staff (outbound in a shared channel)', async () => {
    await deliver({ type: 'message', user: 'U0STAFF', ts: '1700000004.000100', thread_ts: '1700000000.000100', text: 'Fixing it now' });
    const [row] = await stored('1700000004.000100');
    expect(row!.direction).toBe('outbound');
  });

  it('ignores bots, joins and unlinked channels', async () => {
    await deliver({ type: 'message', subtype: 'bot_message', bot_id: 'B1', ts: '1700000005.000100', text: 'beep' });
    await deliver({ type: 'message', subtype: 'channel_join', user: 'U0NEW', ts: '1700000006.000100', text: '<@U0NEW> has joined' });
    await t.app.inject(eventCallback({ type: 'message', channel: 'C0OTHER', user: 'U0ANN', ts: '1700000007.000100', text: 'elsewhere' }));
    await t.slack.idle();
    expect(await stored('1700000005.000100')).toHaveLength(0);
    expect(await stored('1700000006.000100')).toHaveLength(0);
    expect(await t.database.db.select().from(communications).where(eq(communications.externalId, 'T0OURS:C0OTHER:1700000007.000100'))).toHaveLength(0);
  });

  it('never stores a redelivered event twice', async () => {
    const event = { type: 'message', user: 'U0ANN', user_team: 'T0CLIENT', ts: '1700000008.000100', text: 'Once only' };
    await deliver(event, { eventId: 'EvONCE' });
    const retry = await deliver(event, { eventId: 'EvONCE', retry: 1 });
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['x-slack-no-retry']).toBe('1');
    // A different delivery of the same message (new event id) is still one communication.
    await deliver(event, { eventId: 'EvONCE-again' });
    expect(await stored('1700000008.000100')).toHaveLength(1);
  });

  it('updates the text on an edit and flags a deletion', async () => {
    await deliver({ type: 'message', subtype: 'message_changed', ts: '1700000010.000100', message: { type: 'message', user: 'U0ANN', ts: '1700000000.000100', text: 'Our invoice is wrong (corrected)' }, previous_message: { text: 'Our invoice is wrong & late' } });
    const [edited] = await stored('1700000000.000100');
    expect(edited!.text).toBe('Our invoice is wrong (corrected)');
    expect(edited!.flags).toContain('edited');
    expect(edited!.searchText).toContain('corrected');
    await deliver({ type: 'message', subtype: 'message_deleted', ts: '1700000011.000100', deleted_ts: '1700000001.000100' });
    const [deleted] = await stored('1700000001.000100');
    expect(deleted!.flags).toContain('deleted');
  });

  it('answers 500 and lets Slack retry when the message cannot be accepted, then succeeds on the retry', async () => {
    t.standIn.users.set('U0FLAKY', { id: 'U0FLAKY', team_id: 'T0CLIENT', email: 'flaky@client.io', real_name: 'Flaky' });
    await t.database.db.execute((await import('drizzle-orm')).sql`alter table inbox add constraint no_flaky check (external_id not like '%:1700000012.000100')`);
    const event = { type: 'message', user: 'U0FLAKY', user_team: 'T0CLIENT', ts: '1700000012.000100', text: 'boom-once' };
    const first = await deliver(event, { eventId: 'EvFLAKY' });
    expect(first.statusCode).toBe(500);
    await t.database.db.execute((await import('drizzle-orm')).sql`alter table inbox drop constraint no_flaky`);
    const retry = await deliver(event, { eventId: 'EvFLAKY', retry: 1 });
    expect(retry.statusCode).toBe(200);
    expect(await stored('1700000012.000100')).toHaveLength(1);
  });

  it('waits out a rate-limited users.info (429 Retry-After) and still captures the message', async () => {
    t.standIn.users.set('U0SLOW', { id: 'U0SLOW', team_id: 'T0CLIENT', email: 'slow@client.io', real_name: 'Slow' });
    t.standIn.failNext('users.info', { status: 429, retryAfter: 1 });
    const res = await deliver({ type: 'message', user: 'U0SLOW', user_team: 'T0CLIENT', ts: '1700000013.000100', text: 'rate limited' });
    expect(res.statusCode).toBe(200);
    const calls = t.standIn.callsOf('users.info').filter((c) => c.args.user === 'U0SLOW');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
    const [row] = await stored('1700000013.000100');
    expect(row!.participants[0]).toMatchObject({ email: 'slow@client.io', name: 'Slow' });
  });

  it('keeps threads per channel thread', async () => {
    const rows = await t.database.db.select().from(threads).where(eq(threads.threadKey, `T0OURS:${channel}:1700000000.000100`));
    expect(rows).toHaveLength(1);
  });
});
