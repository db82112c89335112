// What one webhook request is, once the HTTP layer has found its source: the raw bytes and the few
// headers a mapping needs. Mappings turn it into an InboundMessage or throw a RapportError with one
// of a small set of codes: `validation` (400, with field errors), `unsupported` (415).
import { createHash } from 'node:crypto';
import { RapportError, validationError, type FieldIssue } from '../../src/core/errors.js';
import type { InboundMessage } from '../../src/core/inbound-message.js';

export interface Delivery {
  /** The source's name, from the URL (`POST /webhooks/:source`). */
  source: string;
  rawBody: Buffer;
  contentType: string | undefined;
  /** The optional `Idempotency-Key` header: the message id when the payload carries none. */
  idempotencyKey: string | undefined;
  receivedAt: Date;
}

/** Turns a raw RFC 822 message into an InboundMessage (the email channel's parser, injected). */
export type ParseEmail = (raw: Buffer) => InboundMessage | Promise<InboundMessage>;

export interface MappingDeps {
  parseEmail?: ParseEmail | undefined;
}

export type Mapping = (delivery: Delivery, deps: MappingDeps) => Promise<InboundMessage>;

export const maxIdLength = 200;

/** The media type without parameters, lower-cased ('' when absent). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isJsonType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

export function parseJsonBody(delivery: Delivery): unknown {
  const type = mediaType(delivery.contentType);
  if (type !== '' && !isJsonType(type) && type !== 'text/plain') {
    throw new RapportError('unsupported', `this source takes application/json, not ${type}`, { contentType: type });
  }
  try {
    return JSON.parse(delivery.rawBody.toString('utf8'));
  } catch {
    throw validationError('the body is not valid JSON', [{ field: 'body', message: 'not valid JSON' }]);
  }
}

/** The message id: the payload's own, else the Idempotency-Key, else a hash of the exact bytes
 *  (so a sender that retries the same body without a key still gets one message). */
export function messageId(payloadId: string | undefined, delivery: Delivery): string {
  const id = payloadId ?? delivery.idempotencyKey?.trim();
  if (id) return id;
  return `sha256-${createHash('sha256').update(delivery.rawBody).digest('hex')}`;
}

export function checkIdempotencyKey(delivery: Delivery): FieldIssue | null {
  const key = delivery.idempotencyKey;
  if (key === undefined) return null;
  if (key.trim() === '' || key.length > maxIdLength) return { field: 'Idempotency-Key', message: `1 to ${maxIdLength} characters` };
  return null;
}

export function externalIdOf(source: string, id: string): string {
  return `${source}:${id}`;
}

export function rawRefOf(delivery: Delivery): string {
  return `webhook:${delivery.source}:sha256=${createHash('sha256').update(delivery.rawBody).digest('hex')}`;
}
