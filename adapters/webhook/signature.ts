// The webhook signature: `X-Rapport-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>`.
// It is checked on the raw bytes as received (a re-serialized body would not hash the same), in
// constant time, within a timestamp window in both directions (a replayed or pre-dated request
// fails). Several v1= values may be sent, and several secrets may be valid, so a secret can be
// rotated without a window where deliveries fail.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { RapportError } from '../../src/core/errors.js';

export const signatureHeader = 'x-rapport-signature';
/** Seconds a signature stays valid, before and after now. */
export const defaultToleranceSeconds = 300;

export type SignatureFailure = 'missing_header' | 'malformed_header' | 'stale_timestamp' | 'future_timestamp' | 'no_matching_signature';

export interface ParsedSignature {
  timestamp: number;
  signatures: Buffer[];
}

const hex64 = /^[0-9a-f]{64}$/i;

/** Parses the header; null when it is not `t=<digits>` plus at least one well-formed `v1=<64 hex>`. */
export function parseSignatureHeader(header: string): ParsedSignature | null {
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 1) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== null || !/^\d{1,12}$/.test(value)) return null;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!hex64.test(value)) return null;
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Other schemes (v0, v2 …) are ignored, so a sender can add one before we understand it.
  }
  if (timestamp === null || signatures.length === 0) return null;
  return { timestamp, signatures };
}

export function computeSignature(secret: string, timestamp: number, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/** The header value a sender puts on a request (used by tests, the bench and the README example). */
export function signatureHeaderValue(secrets: string | string[], rawBody: Buffer | string, timestamp = Math.floor(Date.now() / 1000)): string {
  const list = Array.isArray(secrets) ? secrets : [secrets];
  return [`t=${timestamp}`, ...list.map((s) => `v1=${computeSignature(s, timestamp, rawBody).toString('hex')}`)].join(',');
}

export interface VerifyOptions {
  /** Every secret currently accepted for the source (the current one, and the previous one during rotation). */
  secrets: string[];
  header: string | string[] | undefined;
  rawBody: Buffer;
  /** Unix seconds; defaults to the clock. */
  now?: number;
  toleranceSeconds?: number;
}

/** Returns the failure reason, or null when one v1 signature matches one secret inside the window. */
export function checkSignature(opts: VerifyOptions): SignatureFailure | null {
  const header = Array.isArray(opts.header) ? opts.header.join(',') : opts.header;
  if (header === undefined || header.trim() === '') return 'missing_header';
  const parsed = parseSignatureHeader(header);
  if (!parsed) return 'malformed_header';
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const tolerance = opts.toleranceSeconds ?? defaultToleranceSeconds;
  if (parsed.timestamp < now - tolerance) return 'stale_timestamp';
  if (parsed.timestamp > now + tolerance) return 'future_timestamp';
  let matched = false;
  // Every pair is compared (no early exit), so timing does not tell which secret or value matched.
  for (const secret of opts.secrets) {
    const expected = computeSignature(secret, parsed.timestamp, opts.rawBody);
    for (const given of parsed.signatures) {
      if (timingSafeEqual(expected, given)) matched = true;
    }
  }
  return matched ? null : 'no_matching_signature';
}

function failureMessage(failure: SignatureFailure, tolerance: number): string {
  switch (failure) {
    case 'missing_header': return 'the X-Rapport-Signature header is missing';
    case 'malformed_header': return 'the X-Rapport-Signature header is not t=<unix seconds>,v1=<64 hex digits>';
    case 'stale_timestamp': return `the signature timestamp is more than ${tolerance} seconds old`;
    case 'future_timestamp': return `the signature timestamp is more than ${tolerance} seconds in the future`;
    case 'no_matching_signature': return 'no v1 signature matches the body with this source\'s secret';
  }
}

/** Throws a `bad_signature` RapportError (HTTP 401) unless the request is correctly signed. */
export function verifySignature(opts: VerifyOptions): void {
  const failure = checkSignature(opts);
  if (failure) {
    throw new RapportError('bad_signature', failureMessage(failure, opts.toleranceSeconds ?? defaultToleranceSeconds), { reason: failure });
  }
}

/** A new source secret: 32 random bytes, base64url, with a prefix that says what it is. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
