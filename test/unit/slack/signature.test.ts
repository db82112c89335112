import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSlackSignature, signSlackRequest } from '../../../adapters/slack/verify-signature.js';

interface Vector {
  name: string;
  signing_secret: string;
  timestamp: string;
  body: string;
  signature: string;
  valid_when_now_is: number;
  expect: 'valid' | 'invalid';
}

const suite = JSON.parse(readFileSync(new URL('../../../../shared/peer-suites/slack/signature-vectors.json', import.meta.url), 'utf8')) as { cases: Vector[] };

describe('Slack signature vectors (peer suite)', () => {
  it('has cases to run', () => {
    expect(suite.cases.length).toBeGreaterThanOrEqual(3);
  });
  for (const v of suite.cases) {
    it(`${v.name}: ${v.expect}`, () => {
      const failure = checkSlackSignature({ secret: v.signing_secret, rawBody: Buffer.from(v.body, 'utf8'), timestamp: v.timestamp, signature: v.signature, nowSeconds: v.valid_when_now_is });
      expect(failure === null ? 'valid' : 'invalid').toBe(v.expect);
    });
  }
});

describe('checkSlackSignature', () => {
  const secret = 's3cret-s3cret';
  const body = Buffer.from('{"type":"event_callback","text":"中文"}');
  it('signs the raw bytes, not a re-encoding', () => {
    const sig = signSlackRequest(secret, 1000, body);
    expect(checkSlackSignature({ secret, rawBody: body, timestamp: '1000', signature: sig, nowSeconds: 1000 })).toBeNull();
    const reencoded = Buffer.from(JSON.stringify(JSON.parse(body.toString())).replace('中文', '\\u4e2d\\u6587'));
    expect(checkSlackSignature({ secret, rawBody: reencoded, timestamp: '1000', signature: sig, nowSeconds: 1000 })).toBe('bad_signature');
  });
  it('enforces the window on both sides and rejects junk headers', () => {
    const sig = signSlackRequest(secret, 1000, body);
    expect(checkSlackSignature({ secret, rawBody: body, timestamp: '1000', signature: sig, nowSeconds: 1300 })).toBeNull();
    expect(checkSlackSignature({ secret, rawBody: body, timestamp: '1000', signature: sig, nowSeconds: 1301 })).toBe('stale_timestamp');
    expect(checkSlackSignature({ secret, rawBody: body, timestamp: '1000', signature: sig, nowSeconds: 699 })).toBe('stale_timestamp');
    expect(checkSlackSignature({ secret, rawBody: body, timestamp: 'abc', signature: sig, nowSeconds: 1000 })).toBe('missing_headers');
    expect(checkSlackSignature({ secret, rawBody: body, timestamp: '1000', signature: 'v0=short', nowSeconds: 1000 })).toBe('bad_signature');
  });
});
