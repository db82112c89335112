// The `raw-email` preset: the body is one raw RFC 822 message, as inbound-mail relays post it
// (message/rfc822, text/plain or application/octet-stream). It goes through the same parser as
// the email channel (src/mail, injected as `parseEmail` by the HTTP layer: an adapter imports only
// core), so charsets, reply stripping and forwards are handled once. The message id is the mail's
// own Message-ID, else the Idempotency-Key, else a hash of the bytes. It is stored on the `email`
// channel: the same mail read over IMAP and posted by a relay is one communication, and replies
// thread with it.
import { RapportError, isRapportError, validationError, type FieldIssue } from '../../../src/core/errors.js';
import type { InboundMessage } from '../../../src/core/inbound-message.js';
import { checkIdempotencyKey, externalIdOf, mediaType, rawRefOf, type Mapping } from '../delivery.js';

const acceptedTypes = new Set(['', 'message/rfc822', 'text/plain', 'application/octet-stream']);

export const rawEmailMapping: Mapping = async (delivery, deps) => {
  const type = mediaType(delivery.contentType);
  if (!acceptedTypes.has(type)) {
    throw new RapportError('unsupported', `a raw email is posted as message/rfc822 (or text/plain), not ${type}`, { contentType: type });
  }
  if (!deps.parseEmail) throw new RapportError('unsupported', 'the raw-email preset is not available: no email parser is wired');
  const keyIssue = checkIdempotencyKey(delivery);
  if (keyIssue) throw validationError('the Idempotency-Key header is invalid', [keyIssue]);
  if (delivery.rawBody.length === 0 || delivery.rawBody.toString('latin1').trim() === '') {
    throw validationError('the body is empty', [{ field: 'body', message: 'a raw RFC 822 message is required' }]);
  }
  let parsed: InboundMessage;
  try {
    parsed = await deps.parseEmail(delivery.rawBody);
  } catch (e) {
    const message = isRapportError(e, 'validation') ? e.message : 'the body is not a readable RFC 822 message';
    const fields = isRapportError(e, 'validation') && Array.isArray(e.details?.fields) ? (e.details.fields as FieldIssue[]) : [{ field: 'body', message }];
    throw new RapportError('validation', message, { fields }, { cause: e });
  }
  // The parser answers `<id@host>` for a real Message-ID and a content hash otherwise; the
  // Idempotency-Key, when sent, is preferred to the hash.
  const hasMessageId = parsed.externalId.startsWith('<');
  const result: InboundMessage = {
    ...parsed,
    channel: 'email',
    externalId: hasMessageId ? parsed.externalId : externalIdOf(delivery.source, delivery.idempotencyKey?.trim() || parsed.externalId),
    rawRef: rawRefOf(delivery),
  };
  return result;
};
