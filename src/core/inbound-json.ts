// An InboundMessage as the inbox stores it: JSON text, with its one date as an ISO string. Reading
// it back checks the shape again, so a row written by an older version is refused with a reason
// instead of failing somewhere inside capture.
import { RapportError } from './errors.js';
import type { InboundMessage } from './inbound-message.js';
import { validateInboundMessage } from './inbound-check.js';

export function toInboxPayload(m: InboundMessage): string {
  return JSON.stringify({ ...m, html: undefined, occurredAt: m.occurredAt.toISOString() });
}

export function fromInboxPayload(payload: string): InboundMessage {
  let parsed: InboundMessage & { occurredAt: string | Date };
  try {
    parsed = JSON.parse(payload) as InboundMessage & { occurredAt: string };
  } catch {
    throw new RapportError('validation', 'the stored message is not valid JSON');
  }
  const m = { ...parsed, occurredAt: new Date(parsed.occurredAt as string) } as InboundMessage;
  validateInboundMessage(m);
  return m;
}
