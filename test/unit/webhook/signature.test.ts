import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkSignature, computeSignature, generateWebhookSecret, parseSignatureHeader, signatureHeaderValue, verifySignature,
} from '../../../adapters/webhook/signature.js';
import { isRapportError } from '../../../src/core/errors.js';

const secret = 'whsec_test_secret_0123456789';
const body = Buffer.from('{"id":"42","from":{"email":"li.wei@example.cn"},"text":"你好, the invoice is wrong"}');
const now = 1_790_000_000;

function header(t: number, bytes: Buffer | string = body, secrets: string | string[] = secret): string {
  return signatureHeaderValue(secrets, bytes, t);
}

describe('webhook signature', () => {
  it('is HMAC-SHA256 of "t.body" in hex, as documented (openssl dgst -sha256 -hmac gives the same)', () => {
    const expected = createHmac('sha256', secret).update(`${now}.${body.toString('utf8')}`).digest('hex');
    expect(header(now)).toBe(`t=${now},v1=${expected}`);
    expect(computeSignature(secret, now, body).toString('hex')).toBe(expected);
  });

  it('accepts a good signature', () => {
    expect(checkSignature({ secrets: [secret], header: header(now), rawBody: body, now })).toBeNull();
  });

  it('rejects a tampered body', () => {
    const tampered = Buffer.from(body.toString('utf8').replace('42', '43'));
    expect(checkSignature({ secrets: [secret], header: header(now), rawBody: tampered, now })).toBe('no_matching_signature');
  });

  it('rejects a body that differs only by re-serialization (whitespace)', () => {
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8')), null, 1));
    expect(checkSignature({ secrets: [secret], header: header(now), rawBody: reserialized, now })).toBe('no_matching_signature');
  });

  it('rejects the right body signed with another secret', () => {
    expect(checkSignature({ secrets: [secret], header: header(now, body, 'whsec_someone_else_000'), rawBody: body, now })).toBe('no_matching_signature');
  });

  it('rejects a stale timestamp (older than 5 minutes) even with a valid HMAC', () => {
    expect(checkSignature({ secrets: [secret], header: header(now - 301), rawBody: body, now })).toBe('stale_timestamp');
    expect(checkSignature({ secrets: [secret], header: header(now - 300), rawBody: body, now })).toBeNull();
  });

  it('rejects a future timestamp (more than 5 minutes ahead)', () => {
    expect(checkSignature({ secrets: [secret], header: header(now + 301), rawBody: body, now })).toBe('future_timestamp');
    expect(checkSignature({ secrets: [secret], header: header(now + 300), rawBody: body, now })).toBeNull();
  });

  it('rejects a missing header', () => {
    expect(checkSignature({ secrets: [secret], header: undefined, rawBody: body, now })).toBe('missing_header');
    expect(checkSignature({ secrets: [secret], header: '  ', rawBody: body, now })).toBe('missing_header');
  });

  it.each([
    ['no timestamp', `v1=${'a'.repeat(64)}`],
    ['no v1', `t=${now}`],
    ['short hex', `t=${now},v1=abcd`],
    ['not hex', `t=${now},v1=${'z'.repeat(64)}`],
    ['timestamp not a number', `t=yesterday,v1=${'a'.repeat(64)}`],
    ['two timestamps', `t=${now},t=${now},v1=${'a'.repeat(64)}`],
    ['no key=value', `${now};${'a'.repeat(64)}`],
    ['Stripe-like name only', 'sha256=abc'],
  ])('rejects a malformed header: %s', (_label, value) => {
    expect(checkSignature({ secrets: [secret], header: value, rawBody: body, now })).toBe('malformed_header');
  });

  it('accepts any of several v1 values (the sender signs with old and new secret during a rotation)', () => {
    const both = header(now, body, ['whsec_old_secret_000000', secret]);
    expect(both.split(',v1=')).toHaveLength(3);
    expect(checkSignature({ secrets: [secret], header: both, rawBody: body, now })).toBeNull();
    expect(checkSignature({ secrets: ['whsec_old_secret_000000'], header: both, rawBody: body, now })).toBeNull();
  });

  it('accepts the previous secret while the server still holds it', () => {
    const old = header(now, body, 'whsec_old_secret_000000');
    expect(checkSignature({ secrets: [secret, 'whsec_old_secret_000000'], header: old, rawBody: body, now })).toBeNull();
    expect(checkSignature({ secrets: [secret], header: old, rawBody: body, now })).toBe('no_matching_signature');
  });

  it('ignores signature schemes it does not know, and spaces around parts', () => {
    const v1 = computeSignature(secret, now, body).toString('hex');
    expect(checkSignature({ secrets: [secret], header: `t=${now}, v0=deadbeef, v1=${v1.toUpperCase()}`, rawBody: body, now })).toBeNull();
  });

  it('throws bad_signature with the reason in details', () => {
    try {
      verifySignature({ secrets: [secret], header: header(now - 1000), rawBody: body, now });
      expect.unreachable();
    } catch (e) {
      expect(isRapportError(e, 'bad_signature')).toBe(true);
      expect((e as { details: unknown }).details).toEqual({ reason: 'stale_timestamp' });
    }
  });

  it('round-trips for any body and secret, and any single-byte change breaks it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.string({ minLength: 16, maxLength: 40 }), fc.nat(), (bytes, s, i) => {
        const raw = Buffer.from(bytes);
        const h = signatureHeaderValue(s, raw, now);
        expect(checkSignature({ secrets: [s], header: h, rawBody: raw, now })).toBeNull();
        const changed = Buffer.from(raw);
        changed[i % changed.length] = (changed[i % changed.length]! + 1) % 256;
        expect(checkSignature({ secrets: [s], header: h, rawBody: changed, now })).toBe('no_matching_signature');
      }),
    );
  });

  it('generates distinct, prefixed secrets of 256 bits', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(a);
    expect(parseSignatureHeader(signatureHeaderValue(a, body, now))?.timestamp).toBe(now);
  });
});
