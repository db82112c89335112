import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communications, threads } from '../../src/store/schema/index.js';
import { addCustomer, startSlackTest, textOf, type SlackTest } from '../helpers/slack-app.js';
import { interaction, slashCommand } from '../helpers/slack-requests.js';

let t: SlackTest;
let dora: string;
let evan: string;

const thread = (channel: string, root: string, authors: string[]) =>
  authors.map((user, i) => ({ ts: i === 0 ? root : `${root.split('.')[0]}.00020${i}`, thread_ts: root, user, user_team: user === 'U0STAFF' ? 'T0OURS' : 'T0CLIENT', text: `message ${i + 1} from ${user}` }));

beforeAll(async () => {
  t = await startSlackTest();
  dora = await addCustomer(t, { name: 'Dora Feedback', emails: ['dora@shop.com'], company: 'Shop', domains: ['shop.com'] });
  evan = await addCustomer(t, { name: 'Evan Other', emails: ['evan@shop.com'], company: 'Shop' });
  t.standIn.users.set('U0DORA', { id: 'U0DORA', team_id: 'T0CLIENT', email: 'dora@shop.com', real_name: 'Dora' });
  t.standIn.users.set('U0EVAN', { id: 'U0EVAN', team_id: 'T0CLIENT', email: 'evan@shop.com', real_name: 'Evan' });
  t.standIn.users.set('U0STAFF', { id: 'U0STAFF', team_id: 'T0OURS', real_name: 'Sam Staff' });
  t.standIn.pageSize = 2;
});

afterAll(async () => t?.close());

const shortcut = (channel: string, ts: string, responseId: string) =>
  interaction({
    type: 'message_action',
    callback_id: 'send_thread_to_crm',
    team: { id: 'T0OURS', domain: 'ours' },
    user: { id: 'U0STAFF', team_id: 'T0OURS' },
    channel: { id: channel },
    message: { ts, thread_ts: ts, user: 'U0DORA', text: 'root' },
    message_ts: ts,
    trigger_id: `trig-${responseId}`,
    response_url: t.standIn.responseUrl(responseId),
  });

describe('Send thread to CRM', () => {
  it('captures every page of the thread as one feedback thread on the obvious customer', async () => {
    const root = '1700001000.000100';
    t.standIn.threads.set(`C0DM:${root}`, thread('C0DM', root, ['U0DORA', 'U0STAFF', 'U0DORA', 'U0STAFF', 'U0DORA']));
    const res = await t.app.inject(shortcut('C0DM', root, 'st1'));
    expect(res.statusCode).toBe(200);
    await t.slack.idle();
    // 5 messages at 2 per page: three calls, following next_cursor.
    const pages = t.standIn.callsOf('conversations.replies').filter((c) => c.args.ts === root);
    expect(pages.map((p) => p.args.cursor ?? null)).toEqual([null, '2', '4']);
    const rows = await t.database.db.select().from(communications).where(eq(communications.channel, 'slack'));
    const mine = rows.filter((r) => r.externalId.startsWith('T0OURS:C0DM:'));
    expect(mine).toHaveLength(5);
    expect(new Set(mine.map((r) => r.threadId)).size).toBe(1);
    expect(mine.every((r) => r.customerId === dora)).toBe(true);
    const [th] = await t.database.db.select().from(threads).where(eq(threads.id, mine[0]!.threadId!));
    expect(th).toMatchObject({ kind: 'feedback', customerId: dora, status: 'open' });
    const [confirm] = t.standIn.responsesTo('st1');
    expect(confirm!.body.response_type).toBe('ephemeral');
    expect(textOf(confirm!.body)).toContain('Saved this thread (5 messages) as feedback on *Dora Feedback* (Shop)');
    expect(textOf(confirm!.body)).toContain('https://ours.slack.com/archives/C0DM/p1700001000000100');
  });

  it('asks with a modal when two customers wrote, and stores on the one picked', async () => {
    const root = '1700002000.000100';
    t.standIn.threads.set(`C0MIX:${root}`, thread('C0MIX', root, ['U0DORA', 'U0EVAN', 'U0STAFF']));
    await t.app.inject(shortcut('C0MIX', root, 'st2'));
    await t.slack.idle();
    const [open] = t.standIn.callsOf('views.open');
    expect(open!.args.trigger_id).toBe('trig-st2');
    const view = open!.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(view.callback_id).toBe('crm_send_thread');

    // The picker's options come from a block_suggestion request.
    const opts = await t.app.inject(interaction({ type: 'block_suggestion', action_id: 'crm_thread_customer', block_id: 'customer', value: 'evan', team: { id: 'T0OURS' }, user: { id: 'U0STAFF' }, view: { id: 'V1', callback_id: 'crm_send_thread' } }));
    const options = JSON.parse(opts.body).options as { value: string; text: { text: string } }[];
    expect(options.map((o) => o.value)).toEqual([evan]);

    const missing = await t.app.inject(interaction({ type: 'view_submission', team: { id: 'T0OURS' }, user: { id: 'U0STAFF' }, view: { id: 'V1', callback_id: 'crm_send_thread', private_metadata: view.private_metadata, state: { values: { customer: { crm_thread_customer: { type: 'external_select', selected_option: null } } } } } }));
    expect(JSON.parse(missing.body)).toMatchObject({ response_action: 'errors' });

    const submit = await t.app.inject(
      interaction({
        type: 'view_submission',
        team: { id: 'T0OURS' },
        user: { id: 'U0STAFF' },
        view: { id: 'V1', callback_id: 'crm_send_thread', private_metadata: view.private_metadata, state: { values: { customer: { crm_thread_customer: { type: 'external_select', selected_option: { value: evan, text: { type: 'plain_text', text: 'Evan' } } } } } } },
      }),
    );
    expect(submit.statusCode).toBe(200);
    expect(submit.body).toBe('');
    await t.slack.idle();
    const rows = (await t.database.db.select().from(communications)).filter((r) => r.externalId.startsWith('T0OURS:C0MIX:'));
    expect(rows).toHaveLength(3);
    const [th] = await t.database.db.select().from(threads).where(eq(threads.id, rows[0]!.threadId!));
    expect(th).toMatchObject({ kind: 'feedback', customerId: evan });
    expect(textOf(t.standIn.responsesTo('st2')[0]!.body)).toContain('as feedback on *Evan Other*');
  });

  it('uses the channel link without asking, and sending a thread twice stores it once', async () => {
    await t.app.inject(slashCommand('link dora@shop.com', { channel: 'C0DORA', responseUrl: t.standIn.responseUrl('l') }));
    const root = '1700003000.000100';
    const msgs = thread('C0DORA', root, ['U0DORA', 'U0STAFF']);
    t.standIn.threads.set(`C0DORA:${root}`, msgs);
    await t.app.inject(shortcut('C0DORA', root, 'st3'));
    await t.slack.idle();
    await t.app.inject(shortcut('C0DORA', root, 'st4'));
    await t.slack.idle();
    const rows = (await t.database.db.select().from(communications)).filter((r) => r.externalId.startsWith('T0OURS:C0DORA:'));
    expect(rows).toHaveLength(2);
    expect(textOf(t.standIn.responsesTo('st4')[0]!.body)).toContain('2 already stored');
    expect(t.standIn.callsOf('views.open').filter((c) => c.args.trigger_id === 'trig-st3')).toHaveLength(0);
  });

  it('says so when the thread cannot be read', async () => {
    await t.app.inject(shortcut('C0GONE', '1700004000.000100', 'st5'));
    await t.slack.idle();
    expect(textOf(t.standIn.responsesTo('st5')[0]!.body)).toContain('Could not read the thread (not_found)');
  });
});
