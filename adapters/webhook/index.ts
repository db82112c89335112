// The webhook channel: a signed request for a known source becomes one InboundMessage (the wiring,
// src/channels/webhook.ts, appends it to the inbox). Errors leave as RapportError codes:
// bad_signature (401), validation (400, field errors), unsupported (415).
import type { InboundMessage } from '../../src/core/inbound-message.js';
import type { MappingDeps } from './delivery.js';
import { mappings, type WebhookPreset } from './presets/index.js';
import { verifySignature } from './signature.js';

export { generateWebhookSecret, signatureHeader, signatureHeaderValue, verifySignature, checkSignature } from './signature.js';
export { webhookPresets, isWebhookPreset, type WebhookPreset } from './presets/index.js';
export type { Delivery, ParseEmail } from './delivery.js';

export interface WebhookSource {
  name: string;
  preset: WebhookPreset;
  /** Every secret accepted now: the current one, plus the previous one while a rotation is in its grace period. */
  secrets: string[];
}

export interface WebhookRequest {
  rawBody: Buffer;
  signature: string | string[] | undefined;
  contentType: string | undefined;
  idempotencyKey: string | undefined;
}

/** Checks the signature, then maps the body with the source's preset (no capture). */
export async function toInboundMessage(source: WebhookSource, request: WebhookRequest, deps: MappingDeps & { now?: () => Date }): Promise<InboundMessage> {
  const receivedAt = deps.now?.() ?? new Date();
  verifySignature({
    secrets: source.secrets,
    header: request.signature,
    rawBody: request.rawBody,
    now: Math.floor(receivedAt.getTime() / 1000),
  });
  const delivery = {
    source: source.name,
    rawBody: request.rawBody,
    contentType: request.contentType,
    idempotencyKey: request.idempotencyKey,
    receivedAt,
  };
  return mappings[source.preset](delivery, { parseEmail: deps.parseEmail });
}
