// Hostile and unlucky requests each reproduced a 500 once (issue 11). Every one is answered with a
// 4xx and the error body, or accepted after cleaning (NUL bytes and lone surrogates are cleaned and
// the message flagged `sanitized`); none is a 500, and none leaves a stack trace in the log.
import { PassThrough } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelsOf } from '../../src/channels/index.js';
import { communications } from '../../src/store/schema/index.js';
import { createToken } from '../../src/store/tokens-repo.js';
import { addCustomer, startSlackTest, textOf, type SlackTest } from '../helpers/slack-app.js';
import { slashCommand } from '../helpers/slack-requests.js';
import { countRows, signedPost } from '../webhook/signed-post.js';

const secret = 'whsec_hostile_input_secret_01';
const relaySecret = 'whsec_hostile_relay_secret_01';
const siteSecret = 'whsec_hostile_site_secret_001';
let t: SlackTest;
let readToken: string;
const log: string[] = [];

beforeAll(async () => {
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => log.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  t = await startSlackTest(
    { RAPPORT_WEBHOOK_SOURCES: `desk:generic:${secret},relay:raw-email:${relaySecret},site:form:${siteSecret}`, RAPPORT_JOBS: 'off' },
    sink,
  );
  readToken = (await createToken(t.database.db, { name: 'hostile read', scope: 'read' })).token;
  await addCustomer(t, { name: 'Hostile Tester', emails: ['hostile.tester@example.org'], company: 'Example', domains: ['example.org'] });
});

afterAll(async () => t?.close());

const captured = () => channelsOf(t.ctx).worker.drain();
const post = (body: string, extra: { source?: string; secret?: string; contentType?: string } = {}) =>
  signedPost(t.app, { source: extra.source ?? 'desk', secret: extra.secret ?? secret, body, ...(extra.contentType ? { contentType: extra.contentType } : {}) });
const message = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id, from: { email: 'hostile.tester@example.org', name: 'Hostile Tester' }, subject: 'hello', text: 'plain words', ...extra });

function expectErrorBody(res: LightMyRequestResponse, status: number, code: string): void {
  expect(res.statusCode, res.body).toBe(status);
  expect((res.json() as { error: { code: string; message: string } }).error).toMatchObject({ code, message: expect.any(String) });
}

async function storedRow(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBe(202);
  await captured();
  const [row] = await t.database.db.select().from(communications).where(eq(communications.id, (res.json() as { id: string }).id));
  expect(row, 'the message was captured').toBeDefined();
  return row!;
}

describe('signed webhooks with hostile content', () => {
  it('accepts a NUL byte in any field, cleaned and flagged sanitized', async () => {
    const fields: [string, Record<string, unknown>][] = [
      ['text', { text: 'a\u0000b' }],
      ['subject', { subject: 'sub\u0000ject' }],
      ['name', { from: { email: 'hostile.tester@example.org', name: 'Hos\u0000tile' } }],
      ['id', { id: 'nul\u0000id' }],
      ['thread', { thread_id: 'th\u0000read' }],
      ['html', { text: '', html: '<p>h\u0000tml</p>' }],
    ];
    for (const [name, extra] of fields) {
      const row = await storedRow(await post(message(`nul-${name}`, extra)));
      expect(row.flags, name).toContain('sanitized');
      expect(JSON.stringify(row), name).not.toContain('\\u0000');
    }
  });

  it('accepts a lone surrogate in any field, replaced and flagged sanitized', async () => {
    // JSON may spell a lone surrogate only as an escape; raw bytes would not be UTF-8.
    const fields: [string, string][] = [
      ['text', '"text":"a\\ud800b"'],
      ['subject', '"subject":"x\\udfffy","text":"t"'],
      ['name', '"text":"t","to":[{"name":"\\udc00lone","email":"x@example.org"}]'],
    ];
    for (const [name, json] of fields) {
      const body = `{"id":"sur-${name}","from":{"email":"hostile.tester@example.org"},${json}}`;
      const row = await storedRow(await post(body));
      expect(row.flags, name).toContain('sanitized');
      expect(`${row.subject ?? ''}${row.text}`, name).not.toMatch(/[\uD800-\uDFFF]/);
    }
  });

  it('refuses out-of-range dates with 400 and field errors, storing nothing', async () => {
    for (const [i, occurredAt] of [253402300800, '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', 8.64e15 + 1, '1899-12-31T23:59:59Z'].entries()) {
      const res = await post(message(`date-${i}`, { occurred_at: occurredAt }));
      expectErrorBody(res, 400, 'validation');
      const fields = (res.json() as { error: { details: { fields: { field: string }[] } } }).error.details.fields.map((f) => f.field);
      expect(fields.join(','), String(occurredAt)).toMatch(/occurred_?at/i);
    }
    await captured();
    expect(await countRows(t.database.db, 'communications', sql`external_id like 'desk:date-%'`)).toBe(0);
  });

  it('refuses an out-of-range form submission date with 400', async () => {
    const body = new URLSearchParams({ email: 'hostile.tester@example.org', message: 'hi', submitted_at: '+275760-09-13T00:00:00Z' }).toString();
    expectErrorBody(await post(body, { source: 'site', secret: siteSecret, contentType: 'application/x-www-form-urlencoded' }), 400, 'validation');
  });

  it('captures a 1,000-character Chinese subject (its thread key is bounded)', async () => {
    const subject = '退款申请'.repeat(250);
    const first = await storedRow(await post(message('zh-subject-1', { subject })));
    expect(first.subject).toBe(subject.slice(0, 998));
    expect(first.threadId).not.toBeNull();
    // A second message with the same long subject from the same customer: same index key, no error.
    const second = await storedRow(await post(message('zh-subject-2', { subject })));
    expect(second.subject).toBe(first.subject);
  });

  it('captures a message whose HTML nests 20,000 levels deep, without a stack overflow', async () => {
    const html = `${'<div>'.repeat(20_000)}deep words${'</div>'.repeat(20_000)}`;
    const res = await post(message('deep-html', { text: '', html }));
    expect(res.statusCode, res.body).toBeLessThan(500);
    const row = await storedRow(res);
    expect(row.text).toContain('deep words');
  });

  it('captures a raw email whose HTML part nests 20,000 levels deep', async () => {
    const html = `<html><body>${'<div>'.repeat(20_000)}deep mail${'</div>'.repeat(20_000)}</body></html>`;
    const raw = [
      'From: Hostile Tester <hostile.tester@example.org>',
      'To: support@ourco.com',
      'Subject: deep',
      'Date: Tue, 24 Nov 2026 09:15:00 +0800',
      'Message-ID: <deep-html@example.org>',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=UTF-8',
      '',
      html,
      '',
    ].join('\r\n');
    const res = await post(raw, { source: 'relay', secret: relaySecret, contentType: 'message/rfc822' });
    const row = await storedRow(res);
    expect(row.text).toContain('deep mail');
  });

  it('keeps the received time for a raw email dated in year 10000 (mail is not refused for its date)', async () => {
    const raw = [
      'From: hostile.tester@example.org',
      'To: support@ourco.com',
      'Subject: far future',
      'Date: Sat, 01 Jan 10000 00:00:00 +0000',
      'Message-ID: <year-10000@example.org>',
      '',
      'words',
      '',
    ].join('\r\n');
    const row = await storedRow(await post(raw, { source: 'relay', secret: relaySecret, contentType: 'message/rfc822' }));
    expect(row.occurredAt.getUTCFullYear()).toBeLessThan(10_000);
  });
});

describe('unsigned and odd requests', () => {
  it('answers POST /webhooks/%00 like a bad signature, with no stack trace in the log', async () => {
    const before = log.length;
    for (const url of ['/webhooks/%00', '/webhooks/%ZZ', '/webhooks/%00?x=%00', `/webhooks/${'a'.repeat(5000)}`]) {
      const res = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: '{}' });
      expect(res.statusCode, `${url}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect((res.json() as { error: { code: string } }).error.code).toMatch(/^(bad_signature|validation|not_found)$/);
    }
    const nul = await t.app.inject({ method: 'POST', url: '/webhooks/%00', headers: { 'content-type': 'application/json' }, payload: '{}' });
    const nobody = await t.app.inject({ method: 'POST', url: '/webhooks/nobody', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(nul.statusCode).toBe(nobody.statusCode);
    expect(nul.json()).toEqual(nobody.json());
    const lines = log.slice(before).join('\n');
    expect(lines).not.toMatch(/"stack"|\n\s+at /);
    expect(lines).not.toContain('"level":50');
  });

  it('answers a search by customer email with 200, and a NUL in the query with a 4xx or 200, never 500', async () => {
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${readToken}` } });
    for (const q of ['customer=hostile.tester%40example.org', 'customer=hostile.tester@example.org&q=hello', 'q=a%00b', 'customer=a%00b', `q=${'字'.repeat(5000)}`, 'q=%ud800', 'customer=%ED%A0%80']) {
      const res = await get(`/api/v1/communications/search?${q}`);
      expect(res.statusCode, `${q}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
      if (res.statusCode >= 400) expect((res.json() as { error: { code: string } }).error.code).toBe('validation');
    }
  });

  it('answers API ids, cursors and filters with NUL bytes or out-of-range dates with 4xx', async () => {
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${readToken}` } });
    for (const url of [
      '/api/v1/customers/%00',
      '/api/v1/customers?q=a%00b',
      '/api/v1/customers?cursor=%00',
      '/api/v1/communications/search?q=x&cursor=%00%ff',
      '/api/v1/communications/search?q=x&from=0000-01-01T00:00:00Z',
      '/api/v1/communications/search?q=x&since=%2B275760-09-13T00:00:00Z',
    ]) {
      const res = await get(url);
      expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
    }
  });

  it('answers the Slack command /crm lookup a<NUL>b with a reply, not an error', async () => {
    const res = await t.app.inject(slashCommand('lookup a\u0000b', { responseUrl: t.standIn.responseUrl('nul-lookup') }));
    expect(res.statusCode, res.body).toBe(200);
    expect(textOf(res.body ? JSON.parse(res.body) : null)).not.toMatch(/went wrong|internal/i);
  });

  it('answers a Slack lookup with a lone surrogate or a 10,000-character term with a reply', async () => {
    for (const text of ['lookup \uD800', `lookup ${'x'.repeat(10_000)}`, 'note a\u0000b']) {
      const res = await t.app.inject(slashCommand(text, { responseUrl: t.standIn.responseUrl(`odd-${text.length}`) }));
      expect(res.statusCode, res.body).toBe(200);
    }
  });

  it('logged no error with a stack for any request above', () => {
    expect(log.filter((l) => l.includes('"level":50') || l.includes('"stack"'))).toEqual([]);
  });
});
