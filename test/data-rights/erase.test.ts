// Export and erase, end to end: a unique name, email, phone and Slack id are planted through every
// channel — a signed webhook, an email through the raw-email webhook (the capture path), a Slack
// message in a linked channel (with its profile cached), a /crm note, an order, a review item
// linked to them, a duplicate record merged into them, the cc of another customer's email — and
// the keyword counts and word vectors are rebuilt over them. The export holds all of it; after
// the erase, no text, varchar, json, jsonb or text[] column of any table holds any planted string.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildDocumentFrequencies } from '../../src/analytics-runner/customer-analytics.js';
import { trainVectors } from '../../src/analytics-runner/similar.js';
import { channelsOf } from '../../src/channels/index.js';
import { secretBoxFor } from '../../src/secret-key.js';
import { createToken } from '../../src/store/tokens-repo.js';
import { createWebhookSource } from '../../src/store/webhook-sources-repo.js';
import { startSlackTest, type SlackTest } from '../helpers/slack-app.js';
import { eventCallback, slashCommand } from '../helpers/slack-requests.js';
import { signedPost } from '../webhook/signed-post.js';

const NAME = 'Zyxwanda Quorble';
const EMAIL = 'zyx.quorble.5521@planted-example.com';
const EMAIL2 = 'zquorble.5521@gmail.com';
const PHONE = '+86 139 5521 7788';
const SLACK = 'U0PLANTED';
const SLACK_AUTHOR = 'U0PLANTEDTWO';
/** What must be gone from every column afterwards (case-insensitive). */
const planted = ['zyxwanda', 'quorble', 'planted-example', '955217788', '5521 7788', 'U0PLANTED'];

let t: SlackTest;
let admin: string;
let customerId: string;
let bobMessage: string;
const secrets: Record<string, string> = {};

const api = (method: 'GET' | 'POST', url: string, body?: unknown) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${admin}` }, ...(body !== undefined ? { payload: body as object } : {}) });

const eml = (o: { from: string; to: string; cc?: string; subject: string; body: string }) =>
  [
    `From: ${o.from}`,
    `To: ${o.to}`,
    ...(o.cc ? [`Cc: ${o.cc}`] : []),
    `Subject: ${o.subject}`,
    `Message-ID: <${randomUUID()}@mail.example.net>`,
    'Date: Mon, 02 Nov 2026 09:00:00 +0800',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.body,
    '',
  ].join('\r\n');

/** Hits of the planted strings in every text-like column of every table: `table.column: string`. */
async function scan(): Promise<string[]> {
  const db = t.database.db;
  const columns = (await db.execute(sql`
    select table_name as t, column_name as c from information_schema.columns
    where table_schema = current_schema() and (data_type in ('text', 'character varying', 'json', 'jsonb') or (data_type = 'ARRAY' and udt_name = '_text'))
    order by 1, 2`)) as unknown as { rows: { t: string; c: string }[] };
  const hits: string[] = [];
  for (const { t: table, c } of columns.rows) {
    for (const s of planted) {
      const r = (await db.execute(sql`select count(*)::int as n from ${sql.identifier(table)} where ${sql.identifier(c)}::text ilike ${`%${s}%`}`)) as unknown as {
        rows: { n: number }[];
      };
      if (r.rows[0]!.n > 0) hits.push(`${table}.${c}: ${s}`);
    }
  }
  return hits;
}

beforeAll(async () => {
  t = await startSlackTest({ RAPPORT_SECRET_KEY: 'erase-test-secret-key', RAPPORT_INTERNAL_DOMAINS: 'ourco.com', RAPPORT_AUTO_CREATE: 'never' });
  admin = (await createToken(t.database.db, { name: 'dpo', scope: 'admin' })).token;
  const scope = { configured: [], box: secretBoxFor(t.ctx.config, t.ctx.database) };
  for (const [name, preset] of [['helpdesk', 'generic'], ['relay', 'raw-email']] as const) {
    secrets[name] = (await createWebhookSource(t.database.db, scope, { name, preset, secret: `whsec_${name}_secret_000000001` })).secret;
  }

  const created = await api('POST', '/customers', { name: NAME, emails: [EMAIL], phones: [PHONE], slackUsers: [SLACK], company: 'Acme Widgets', tags: ['vip'] });
  expect(created.statusCode, created.body).toBe(201);
  customerId = (created.json() as { id: string }).id;
  const bob = await api('POST', '/customers', { name: 'Bob Other', emails: ['bob@other-co.com'] });
  expect(bob.statusCode).toBe(201);

  // A signed webhook message from them.
  const hook = await signedPost(t.app, {
    source: 'helpdesk',
    secret: secrets.helpdesk!,
    body: JSON.stringify({ id: 'tkt-1', from: { email: EMAIL, name: NAME }, subject: 'Quorble order', text: `Hi, ${NAME} here, call me at ${PHONE}. Zyxwanda needs a refund.` }),
  });
  expect(hook.statusCode, hook.body).toBe(202);
  // An email from them, through the capture path of mail.
  const mail = await signedPost(t.app, {
    source: 'relay',
    secret: secrets.relay!,
    contentType: 'message/rfc822',
    body: eml({ from: `"${NAME}" <${EMAIL}>`, to: 'support@ourco.com', subject: 'Quorble invoice', body: `Dear team,\n\nZyxwanda Quorble again (${PHONE}).\n` }),
  });
  expect(mail.statusCode, mail.body).toBe(202);
  // Another customer's email with them in cc.
  const cc = await signedPost(t.app, {
    source: 'relay',
    secret: secrets.relay!,
    contentType: 'message/rfc822',
    body: eml({ from: 'Bob Other <bob@other-co.com>', to: 'support@ourco.com', cc: `"${NAME}" <${EMAIL}>`, subject: 'Shipping', body: 'Where is my parcel?\n' }),
  });
  expect(cc.statusCode, cc.body).toBe(202);
  bobMessage = (cc.json() as { id: string }).id;

  // Slack: a linked channel, a message by someone whose profile carries their email, and a note.
  t.standIn.users.set(SLACK_AUTHOR, { id: SLACK_AUTHOR, team_id: 'T0CLIENT', email: EMAIL, real_name: NAME });
  const link = await t.app.inject(slashCommand(`link ${EMAIL}`, { channel: 'C0PLANT', responseUrl: t.standIn.responseUrl('link') }));
  expect(link.body).toContain('Linked');
  const event = await t.app.inject(
    eventCallback({ type: 'message', channel: 'C0PLANT', user: SLACK_AUTHOR, user_team: 'T0CLIENT', ts: '1800000000.000100', text: `${NAME} says the widget broke again` }),
  );
  expect(event.statusCode).toBe(200);
  await t.slack.idle();
  const note = await t.app.inject(slashCommand(`note ${EMAIL} Zyxwanda prefers calls on ${PHONE}`, { responseUrl: t.standIn.responseUrl('note') }));
  expect(note.statusCode).toBe(200);
  await t.slack.idle();

  // An order.
  const order = await api('POST', '/orders', { customer: EMAIL, externalId: 'SO-QUORBLE-1', amount: '99.00', currency: 'CNY', status: 'paid', orderedAt: '2026-11-01T10:00:00+08:00' });
  expect(order.statusCode, order.body).toBe(201);

  // A message from an address nobody knows waits in review, then is linked to them.
  const unknown = await signedPost(t.app, {
    source: 'helpdesk',
    secret: secrets.helpdesk!,
    body: JSON.stringify({ id: 'tkt-2', from: { email: EMAIL2, name: NAME }, text: 'Writing from my personal address' }),
  });
  expect(unknown.statusCode).toBe(202);
  // 202 means accepted into the inbox; the review item exists once the capture worker has run.
  await channelsOf(t.ctx).worker.drain();
  const reviewId = (unknown.json() as { id: string }).id;
  const linked = await api('POST', `/review/${reviewId}/link`, { customer: customerId });
  expect(linked.statusCode, linked.body).toBe(200);

  // A duplicate record of the same person, merged into them (the audit keeps a snapshot).
  const dup = await api('POST', '/customers', { name: NAME, emails: ['zq.dup.5521@planted-example.com'] });
  expect(dup.statusCode).toBe(201);
  const merged = await api('POST', `/customers/${(dup.json() as { id: string }).id}/merge`, { into: customerId });
  expect(merged.statusCode, merged.body).toBe(200);

  // Derived data over their words.
  await rebuildDocumentFrequencies(t.ctx);
  await trainVectors(t.ctx, { seed: 3 });
}, 300_000);

afterAll(async () => t?.close());

describe('export and erase', { timeout: 300_000 }, () => {
  it('exports everything held about them, as JSON, to an admin token only', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/customers/${customerId}/export`, headers: { authorization: `Bearer ${(await createToken(t.database.db, { name: 'w', scope: 'write' })).token}` } })).statusCode).toBe(403);
    const res = await api('GET', `/customers/${customerId}/export`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const x = res.json() as Record<string, unknown[]> & { customer: { name: string } };
    expect(x.customer.name).toBe(NAME);
    expect((x.identities as { display: string }[]).map((i) => i.display)).toEqual(expect.arrayContaining([EMAIL, EMAIL2, SLACK]));
    const texts = (x.communications as { text: string; fullText: string | null; channel: string }[]).map((c) => `${c.channel}: ${c.fullText ?? c.text}`);
    expect(texts.length).toBeGreaterThanOrEqual(5);
    expect(texts.join('\n')).toContain('Zyxwanda needs a refund');
    expect(texts.join('\n')).toContain('the widget broke again');
    expect(x.orders).toHaveLength(1);
    expect(x.mergedRecords).toHaveLength(1);
    expect(x.merges).toHaveLength(1);
    expect(x.reviewItems).toHaveLength(1);
    expect(x.slackProfiles).toHaveLength(1);
    expect(x).toHaveProperty('analytics.keywords');
    expect(x).toHaveProperty('threads');
  });

  it('finds the planted strings before the erase (the scan can see them)', async () => {
    const hits = await scan();
    // (Not analytics_terms: the names of known customers never become terms.)
    for (const where of ['customers.name', 'identities.display', 'communications.text', 'communications.participants', 'slack_users.email', 'customer_merges.source_snapshot', 'review_items.contact']) {
      expect(hits.some((h) => h.startsWith(`${where}:`)), where).toBe(true);
    }
  });

  it('erases them everywhere, keeping only a tombstone', async () => {
    const res = await api('POST', `/customers/${customerId}/erase`);
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json() as { customerId: string; erasedBy: string; counts: Record<string, number> };
    expect(result).toMatchObject({ customerId, erasedBy: 'token:dpo' });
    expect(result.counts).toMatchObject({ customers: 2, orders: 1, slack_users: 1, customer_merges: 1, participants_redacted: 1 });
    expect(result.counts.communications).toBeGreaterThanOrEqual(5);

    expect(await scan()).toEqual([]);

    const tomb = (await t.database.db.execute(sql`select erased_by, counts from customer_erasures where customer_id = ${customerId}::uuid`)) as unknown as { rows: { erased_by: string; counts: Record<string, number> }[] };
    expect(tomb.rows).toEqual([{ erased_by: 'token:dpo', counts: result.counts }]);
    expect((await api('GET', `/customers/${customerId}`)).statusCode).toBe(404);
    expect((await api('GET', `/customers/${customerId}/export`)).statusCode).toBe(404);

    // Bob's message stays; their entry in its cc keeps only its role.
    expect((await api('GET', `/communications/${bobMessage}`)).statusCode).toBe(200);
    const stored = (await t.database.db.execute(sql`select participants from communications where id = ${bobMessage}::uuid`)) as unknown as { rows: { participants: Record<string, unknown>[] }[] };
    const participants = stored.rows[0]!.participants;
    expect(participants).toContainEqual({ role: 'cc', redacted: true });
    expect(participants.some((p) => p.email === 'bob@other-co.com')).toBe(true);
  });
});
