// Fuzzing POST /webhooks/:source for every preset (generic, form, raw-email), on PGlite and
// PostgreSQL: whatever the body, a signed delivery is answered 202 or a 4xx with the error body,
// never a 5xx, and what was accepted is captured (nothing parked as failed); an unsigned or
// mis-signed one is refused and stores nothing.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelsOf } from '../../src/channels/index.js';
import { inboxStats } from '../../src/store/inbox-repo.js';
import { apiHarness, type ApiHarness } from '../http/api-harness.js';
import { signedPost } from '../webhook/signed-post.js';
import { fuzzParameters, hostileJson, hostileString } from './fuzz-settings.js';

const secrets = { desk: 'whsec_fuzz_generic_secret_01', site: 'whsec_fuzz_form_secret_0001', relay: 'whsec_fuzz_relay_secret_001' } as const;
let h: ApiHarness;

beforeAll(async () => {
  h = await apiHarness({
    RAPPORT_WEBHOOK_SOURCES: `desk:generic:${secrets.desk},site:form:${secrets.site},relay:raw-email:${secrets.relay}`,
    RAPPORT_RATE_LIMIT_WEBHOOK: '0',
  });
});

afterAll(async () => h?.close());

const inboxRows = async () => Number(((await h.database.db.execute(sql`select count(*) as n from inbox`)) as unknown as { rows: { n: unknown }[] }).rows[0]!.n);

/** Answers by status, per preset: the fuzz must reach capture (some 202s), not only validation. */
const answered = new Map<string, number[]>();

function expectAnswered(res: LightMyRequestResponse, allowed: number[], preset: string): void {
  answered.set(preset, [...(answered.get(preset) ?? []), res.statusCode]);
  expect(res.statusCode, res.body.slice(0, 500)).toBeLessThan(500);
  expect(allowed, `${res.statusCode} ${res.body.slice(0, 300)}`).toContain(res.statusCode);
  const body = res.json() as { id?: string; error?: { code: string; message: string } };
  if (res.statusCode === 202) expect(body.id).toEqual(expect.any(String));
  else expect(body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
}


const contact = fc.oneof(
  fc.record(
    {
      email: fc.oneof(fc.emailAddress(), hostileString(40)),
      phone: fc.oneof(fc.constantFrom('+86 138 0013 8000', '13800138000', '+1 415 555 2671'), hostileString(30)),
      name: hostileString(60),
      slack_user: hostileString(20),
    },
    { requiredKeys: [] },
  ),
  hostileJson,
);

/** Close to valid, with hostile content: these reach the inbox and capture. */
const plausibleGeneric = fc
  .record(
    {
      id: fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'), minLength: 1, maxLength: 40 }),
      thread_id: hostileString(60).filter((s) => s.trim().length > 0 && s.length <= 200),
      occurred_at: fc.date({ min: new Date('1950-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
      from: fc.record({ email: fc.emailAddress(), name: hostileString(60) }, { requiredKeys: ['email'] }),
      subject: hostileString(300),
      text: hostileString(2_000).map((t) => `words ${t}`),
      html: fc.nat({ max: 3_000 }).map((n) => `${'<div>'.repeat(n)}deep`),
    },
    { requiredKeys: ['from', 'text'] },
  )
  .map((o) => JSON.stringify(o));

const genericBody = fc.oneof(
  plausibleGeneric,
  fc
    .record(
      {
        id: fc.oneof(hostileString(60), fc.integer()),
        thread_id: fc.oneof(hostileString(60), fc.integer()),
        occurred_at: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.integer(),
          fc.double(),
          fc.constantFrom('0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', 253402300800, -1, '2026-13-45T99:99:99Z'),
          hostileString(30),
        ),
        direction: fc.oneof(fc.constantFrom('inbound', 'outbound', 'internal'), hostileString(10)),
        from: contact,
        to: fc.oneof(fc.array(fc.oneof(fc.emailAddress(), contact), { maxLength: 3 }), hostileJson),
        subject: hostileString(300),
        text: hostileString(2_000),
        html: fc.oneof(hostileString(500), fc.nat({ max: 3_000 }).map((n) => `${'<div>'.repeat(n)}x`)),
      },
      { requiredKeys: ['from', 'text'] },
    )
    .map((o) => JSON.stringify(o)),
  hostileJson.map((v) => JSON.stringify(v) ?? 'null'),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
);

const formBody = fc.oneof(
  fc
    .record({ email: fc.emailAddress(), message: hostileString(500).map((m) => `hello ${m}`), name: hostileString(60), company: hostileString(60), plan: hostileString(20) }, { requiredKeys: ['email', 'message'] })
    .chain((fields) =>
      fc.constantFrom(
        { body: new URLSearchParams(Object.entries(fields)).toString(), type: 'application/x-www-form-urlencoded' },
        { body: JSON.stringify(fields), type: 'application/json' },
      ),
    ),
  fc
    .dictionary(
      fc.oneof(fc.constantFrom('email', 'phone', 'name', 'first_name', 'last_name', 'subject', 'message', 'id', 'submitted_at', 'company', '_hidden', 'g-recaptcha-response'), hostileString(20)),
      fc.oneof(fc.emailAddress(), hostileString(300)),
      { maxKeys: 8 },
    )
    .chain((fields) =>
      fc.constantFrom(
        { body: new URLSearchParams(Object.entries(fields)).toString(), type: 'application/x-www-form-urlencoded' },
        { body: JSON.stringify(fields), type: 'application/json' },
      ),
    ),
  fc.record({ body: fc.oneof(hostileString(300), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b))), type: fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/csv') }),
);

const headerName = fc.constantFrom('From', 'To', 'Cc', 'Subject', 'Date', 'Message-ID', 'In-Reply-To', 'References', 'Content-Type', 'Content-Transfer-Encoding', 'MIME-Version', 'Received');
const rawEmail = fc
  .record({
    headers: fc.array(fc.tuple(headerName, hostileString(120)), { minLength: 1, maxLength: 10 }),
    body: hostileString(1_000),
    crlf: fc.boolean(),
  })
  .map(({ headers, body, crlf }) => {
    const eol = crlf ? '\r\n' : '\n';
    return `${headers.map(([k, v]) => `${k}: ${v.replace(/[\r\n]+/g, ' ')}`).join(eol)}${eol}${eol}${body}`;
  });

describe('fuzzing signed webhook deliveries', () => {
  it('generic: every body is answered 202 or a 4xx with the error body', async () => {
    await fc.assert(
      fc.asyncProperty(genericBody, fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/vnd.api+json'), async (body, contentType) => {
        expectAnswered(await signedPost(h.app, { source: 'desk', secret: secrets.desk, body, contentType }), [202, 400, 413, 415], 'generic');
      }),
      fuzzParameters(),
    );
  });

  it('form: every form is answered 202 or a 4xx with the error body', async () => {
    await fc.assert(
      fc.asyncProperty(formBody, async ({ body, type }) => {
        expectAnswered(await signedPost(h.app, { source: 'site', secret: secrets.site, body, contentType: type }), [202, 400, 413, 415], 'form');
      }),
      fuzzParameters(),
    );
  });

  it('raw-email: every message is answered 202 or a 4xx with the error body', async () => {
    await fc.assert(
      fc.asyncProperty(rawEmail, async (body) => {
        expectAnswered(await signedPost(h.app, { source: 'relay', secret: secrets.relay, body, contentType: 'message/rfc822' }), [202, 400, 413, 415], 'raw-email');
      }),
      fuzzParameters(),
    );
  });

  it('captured everything it accepted: nothing parked as failed', async () => {
    for (const preset of ['generic', 'form', 'raw-email']) expect(answered.get(preset)!.filter((s) => s === 202).length, preset).toBeGreaterThan(0);
    if (process.env.RAPPORT_FUZZ_REPORT) for (const [preset, statuses] of answered) console.log(preset, statuses.length, 'runs', statuses.filter((s) => s === 202).length, 'accepted');
    await channelsOf(h.ctx).worker.drain();
    expect(await inboxStats(h.database.db)).toMatchObject({ pending: 0, failed: 0 });
  });
});

describe('fuzzing unsigned and mis-signed deliveries', () => {
  it('refuses every one without a 5xx and stores nothing', async () => {
    await channelsOf(h.ctx).worker.drain();
    const before = await inboxRows();
    const source = fc.oneof(fc.constantFrom('desk', 'site', 'relay', 'nobody', '%00', '%ZZ', '%', '..%2F..', 'a'.repeat(300)), hostileString(30).map((s) => encodeURIComponent(s.toWellFormed())));
    const signature = fc.oneof(
      fc.constant(null),
      hostileString(100).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
      fc.tuple(fc.integer({ min: 0, max: 2 ** 33 }), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 })).map(([t, v]) => `t=${t},v1=${v}`),
      fc.constant(`t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`),
    );
    await fc.assert(
      fc.asyncProperty(source, signature, fc.oneof(genericBody, rawEmail), async (src, sig, body) => {
        const res = await h.app.inject({
          method: 'POST',
          url: `/webhooks/${src}`,
          headers: { 'content-type': 'application/json', ...(sig === null ? {} : { 'x-rapport-signature': sig }) },
          payload: body,
        });
        expect(res.statusCode, res.body.slice(0, 300)).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
      }),
      fuzzParameters(),
    );
    await channelsOf(h.ctx).worker.drain();
    expect(await inboxRows()).toBe(before);
  });
});
