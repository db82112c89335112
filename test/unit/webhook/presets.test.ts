import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../../adapters/webhook/delivery.js';
import { formMapping } from '../../../adapters/webhook/presets/form.js';
import { genericMapping } from '../../../adapters/webhook/presets/generic.js';
import { isRapportError, type RapportError } from '../../../src/core/errors.js';

const receivedAt = new Date('2026-11-25T05:00:00Z');

function delivery(body: unknown, opts: Partial<Delivery> = {}): Delivery {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return { source: 'helpdesk', rawBody: Buffer.from(raw), contentType: 'application/json', idempotencyKey: undefined, receivedAt, ...opts };
}

async function fieldsOf(p: Promise<unknown>): Promise<{ code: string; fields: { field: string }[] }> {
  try {
    await p;
  } catch (e) {
    if (!isRapportError(e)) throw e;
    return { code: e.code, fields: ((e as RapportError).details?.fields as { field: string }[]) ?? [] };
  }
  throw new Error('expected a RapportError');
}

describe('generic preset', () => {
  it('maps every field of the documented shape', async () => {
    const m = await genericMapping(
      delivery({
        id: 'T-9',
        thread_id: 77,
        occurred_at: '2026-11-24T08:30:00+08:00',
        direction: 'outbound',
        from: { email: 'Agent@Example.com', name: 'Agent', slack_user: 'U123' },
        to: ['wang@customer.cn', { phone: '+86 138 0013 8000', name: '王先生' }],
        subject: '发票问题',
        text: '您好，发票已重新开具。',
        html: '<p>您好</p>',
      }),
      {},
    );
    expect(m).toMatchObject({
      channel: 'webhook',
      externalId: 'helpdesk:T-9',
      threadHints: { key: 'helpdesk:77' },
      directionHint: 'outbound',
      from: { email: 'Agent@Example.com', name: 'Agent', slackUser: 'U123' },
      to: [{ email: 'wang@customer.cn' }, { phone: '+86 138 0013 8000', name: '王先生' }],
      subject: '发票问题',
      text: '您好，发票已重新开具。',
      html: '<p>您好</p>',
    });
    expect(m.occurredAt.toISOString()).toBe('2026-11-24T00:30:00.000Z');
    expect(m.rawRef).toMatch(/^webhook:helpdesk:sha256=[0-9a-f]{64}$/);
  });

  it('takes unix seconds for occurred_at and the receipt time when absent', async () => {
    const a = await genericMapping(delivery({ id: 1, occurred_at: 1_790_000_000, from: { email: 'a@b.co' }, text: 'x' }), {});
    expect(a.occurredAt.getTime()).toBe(1_790_000_000_000);
    const b = await genericMapping(delivery({ id: 1, from: { email: 'a@b.co' }, text: 'x' }), {});
    expect(b.occurredAt).toEqual(receivedAt);
    expect(b.threadHints.key).toBeUndefined();
  });

  it('uses the Idempotency-Key as the id when the payload has none, else a hash of the body', async () => {
    const body = { from: { email: 'a@b.co' }, text: 'no id here' };
    const keyed = await genericMapping(delivery(body, { idempotencyKey: 'evt_123' }), {});
    expect(keyed.externalId).toBe('helpdesk:evt_123');
    const own = await genericMapping(delivery({ ...body, id: 'own' }, { idempotencyKey: 'evt_123' }), {});
    expect(own.externalId).toBe('helpdesk:own');
    const h1 = await genericMapping(delivery(body), {});
    const h2 = await genericMapping(delivery(body), {});
    const h3 = await genericMapping(delivery({ ...body, text: 'other' }), {});
    expect(h1.externalId).toMatch(/^helpdesk:sha256-[0-9a-f]{64}$/);
    expect(h2.externalId).toBe(h1.externalId);
    expect(h3.externalId).not.toBe(h1.externalId);
  });

  it('derives text from html when text is empty', async () => {
    const m = await genericMapping(delivery({ id: 1, from: { email: 'a@b.co' }, text: '', html: '<p>Refund <b>please</b></p>' }), {});
    expect(m.text).toBe('Refund please');
  });

  it('reports every unusable field by path', async () => {
    const r = await fieldsOf(
      genericMapping(delivery({ id: '', from: { email: 'not-an-email' }, to: [{}], direction: 'sideways', occurred_at: 'yesterday' }), {}),
    );
    expect(r.code).toBe('validation');
    expect(r.fields.map((f) => f.field).sort()).toEqual(['direction', 'from.email', 'id', 'occurred_at', 'text', 'to.0'].sort());
  });

  it('needs someone in from, and text or html', async () => {
    expect((await fieldsOf(genericMapping(delivery({ id: 1, from: {}, text: 'x' }), {}))).fields.map((f) => f.field)).toEqual(['from']);
    expect((await fieldsOf(genericMapping(delivery({ id: 1, from: { name: 'A' }, text: ' ' }), {}))).fields.map((f) => f.field)).toEqual(['text']);
  });

  it('answers invalid JSON with a body field error and another content type with unsupported', async () => {
    expect(await fieldsOf(genericMapping(delivery('{"id":'), {}))).toEqual({ code: 'validation', fields: [{ field: 'body', message: 'not valid JSON' }] });
    expect((await fieldsOf(genericMapping(delivery('a=b', { contentType: 'application/x-www-form-urlencoded' }), {}))).code).toBe('unsupported');
  });

  it('refuses an overlong Idempotency-Key', async () => {
    const r = await fieldsOf(genericMapping(delivery({ from: { email: 'a@b.co' }, text: 'x' }, { idempotencyKey: 'k'.repeat(201) }), {}));
    expect(r.fields.map((f) => f.field)).toEqual(['Idempotency-Key']);
  });
});

describe('form preset', () => {
  const form = (body: string, opts: Partial<Delivery> = {}) =>
    delivery(body, { source: 'site', contentType: 'application/x-www-form-urlencoded', ...opts });

  it('maps a urlencoded contact form, keeping extra fields as lines after the message', async () => {
    const m = await formMapping(
      form('First-Name=Wei&Last+Name=Li&Email=li.wei%40acme.cn&Phone=13800138000&Subject=Pricing&Message=%E8%AF%B7%E6%8A%A5%E4%BB%B7&Company=Acme&plan=pro&plan=team&_gotcha=&g-recaptcha-response=tok'),
      {},
    );
    expect(m).toMatchObject({
      channel: 'webhook',
      directionHint: 'inbound',
      from: { email: 'li.wei@acme.cn', phone: '13800138000', name: 'Wei Li' },
      subject: 'Pricing',
      text: '请报价\n\nCompany: Acme\nplan: pro, team',
      threadHints: {},
    });
    expect(m.externalId).toMatch(/^site:sha256-[0-9a-f]{64}$/);
    expect(m.text).not.toContain('tok');
  });

  it('takes a flat JSON form and its own id and submitted_at', async () => {
    const m = await formMapping(
      form(JSON.stringify({ id: 'sub_1', name: 'Ann', email: 'ann@x.io', comments: 'Call me', submitted_at: '2026-11-01T10:00:00Z', newsletter: true }), {
        contentType: 'application/json; charset=utf-8',
      }),
      {},
    );
    expect(m.externalId).toBe('site:sub_1');
    expect(m.from).toMatchObject({ name: 'Ann', email: 'ann@x.io' });
    expect(m.text).toBe('Call me\n\nnewsletter: true');
    expect(m.occurredAt.toISOString()).toBe('2026-11-01T10:00:00.000Z');
  });

  it('uses the Idempotency-Key when the form has no id', async () => {
    const m = await formMapping(form('email=a%40b.co&message=hi', { idempotencyKey: 'form-77' }), {});
    expect(m.externalId).toBe('site:form-77');
  });

  it('needs a message and an email or phone, and a valid email', async () => {
    expect((await fieldsOf(formMapping(form('name=Ann'), {}))).fields.map((f) => f.field)).toEqual(['message', 'email']);
    expect((await fieldsOf(formMapping(form('email=nope&message=hi'), {}))).fields.map((f) => f.field)).toEqual(['email']);
    expect((await fieldsOf(formMapping(form('phone=123&message=hi&submitted_at=soon'), {}))).fields.map((f) => f.field)).toEqual(['submitted_at']);
  });

  it('reads a GBK-encoded form as GBK (charset from the content type)', async () => {
    // 你好，请回电 in GBK, percent-encoded as a browser on a GBK page sends it.
    const gbk = new Uint8Array([0xc4, 0xe3, 0xba, 0xc3, 0xa3, 0xac, 0xc7, 0xeb, 0xbb, 0xd8, 0xb5, 0xe7]);
    const encoded = [...gbk].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    const m = await formMapping(form(`email=a%40b.cn&message=${encoded}&name=Li+Lei`, { contentType: 'application/x-www-form-urlencoded; charset=GBK' }), {});
    expect(m.text).toBe('你好，请回电');
    expect(m.from.name).toBe('Li Lei');
    expect((await fieldsOf(formMapping(form('email=a%40b.cn&message=x', { contentType: 'application/x-www-form-urlencoded; charset=klingon' }), {}))).code).toBe('unsupported');
  });

  it('refuses nested JSON and multipart', async () => {
    const nested = await fieldsOf(formMapping(form(JSON.stringify({ email: 'a@b.co', message: 'x', address: { city: 'X' } }), { contentType: 'application/json' }), {}));
    expect(nested.fields.map((f) => f.field)).toEqual(['address']);
    expect((await fieldsOf(formMapping(form('--x', { contentType: 'multipart/form-data; boundary=x' }), {}))).code).toBe('unsupported');
  });
});
