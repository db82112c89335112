// Slack's request signing, checked on the raw bytes: 'v0=' + hex(HMAC-SHA256(secret, 'v0:' + ts + ':'
// + body)), compared in constant time, and the timestamp within five minutes either way. Bolt's own
// helper takes the body as a string and only rejects old timestamps, hence these few lines.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const signatureWindowSeconds = 300;

export type SignatureFailure = 'missing_headers' | 'stale_timestamp' | 'bad_signature';

export function signSlackRequest(secret: string, timestamp: string | number, body: Buffer | string): string {
  const mac = createHmac('sha256', secret);
  mac.update(`v0:${timestamp}:`);
  mac.update(body);
  return `v0=${mac.digest('hex')}`;
}

/** Null when the request is authentic, else why not. */
export function checkSlackSignature(opts: {
  secret: string;
  rawBody: Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
  nowSeconds?: number;
}): SignatureFailure | null {
  const { timestamp, signature } = opts;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return 'missing_headers';
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > signatureWindowSeconds) return 'stale_timestamp';
  const expected = Buffer.from(signSlackRequest(opts.secret, timestamp, opts.rawBody));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? null : 'bad_signature';
}
