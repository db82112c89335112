// What a mail-parsing worker thread runs: raw RFC 822 bytes → InboundMessage. Errors come back as
// values (a thrown error would lose its code crossing the thread boundary).
import { isRapportError } from '../../core/errors.js';
import type { InboundMessage } from '../../core/inbound-message.js';
import { parseEmail, type ParseEmailOptions } from '../../mail/parse-email.js';

export type ParseOutcome = { ok: true; message: InboundMessage } | { ok: false; code: string; message: string };

export default async function parse(input: { raw: Uint8Array; options: ParseEmailOptions }): Promise<ParseOutcome> {
  try {
    return { ok: true, message: await parseEmail(Buffer.from(input.raw.buffer, input.raw.byteOffset, input.raw.byteLength), input.options) };
  } catch (e) {
    return { ok: false, code: isRapportError(e) ? e.code : 'parse', message: (e as Error).message };
  }
}
