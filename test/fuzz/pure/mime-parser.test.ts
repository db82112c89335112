// Fuzzing the mail parser (IMAP, the raw-email webhook and `rapport ingest eml` all use it): any
// bytes, and MIME built from hostile parts, either parse into a message the inbox boundary accepts
// or are refused as `validation` (not mail at all); nothing else is thrown, and nothing hangs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRapportError } from '../../../src/core/errors.js';
import { checkInboundMessage } from '../../../src/core/inbound-check.js';
import { parseEmail } from '../../../src/mail/parse-email.js';
import { fuzzParameters, hostileString } from '../fuzz-settings.js';

async function parsesOrRefuses(raw: Buffer): Promise<void> {
  try {
    const message = await parseEmail(raw, { receivedAt: new Date('2026-11-24T00:00:00Z') });
    const checked = checkInboundMessage(message);
    expect(checked.occurredAt.getUTCFullYear()).toBeGreaterThanOrEqual(1900);
    expect(checked.occurredAt.getUTCFullYear()).toBeLessThanOrEqual(9999);
    expect(`${checked.subject ?? ''}${checked.text}`).not.toMatch(/[\u0000]/);
  } catch (e) {
    expect(isRapportError(e, 'validation'), String((e as Error).stack)).toBe(true);
  }
}

const headerName = fc.constantFrom('From', 'To', 'Cc', 'Subject', 'Date', 'Message-ID', 'In-Reply-To', 'References', 'Content-Type', 'Content-Transfer-Encoding', 'MIME-Version', 'Received', 'Auto-Submitted', 'X-Whatever');
const headerValue = fc.oneof(
  hostileString(200).map((v) => v.replace(/[\r\n]+/g, ' ')),
  fc.constantFrom(
    'text/html; charset=utf-8', 'text/plain; charset=gbk', 'text/plain; charset=no-such-charset', 'multipart/mixed; boundary="b"', 'multipart/alternative', 'message/rfc822',
    'base64', 'quoted-printable', '8bit', 'x-uuencode', '=?UTF-8?B?5Y+R56Wo?=', '=?GBK?Q?=B7=A2?=', '=?x?B?!!?=', 'Sat, 01 Jan 10000 00:00:00 +0000', 'Mon, 31 Feb 2026 25:61:61 +9999', '<a@b>', '<<<>>>',
  ),
);

const part = fc.record({
  type: fc.constantFrom('text/plain; charset=utf-8', 'text/html; charset=utf-8', 'application/pdf; name="a.pdf"', 'message/rfc822', 'text/plain; charset=big5', 'multipart/alternative; boundary="inner"'),
  encoding: fc.constantFrom('7bit', '8bit', 'base64', 'quoted-printable', 'bogus'),
  body: fc.oneof(hostileString(500), fc.nat({ max: 5_000 }).map((n) => `${'<div>'.repeat(n)}deep`), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1'))),
});

const mime = fc
  .record({
    headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 12 }),
    parts: fc.array(part, { maxLength: 4 }),
    closed: fc.boolean(),
    eol: fc.constantFrom('\r\n', '\n', '\r'),
  })
  .map(({ headers, parts, closed, eol }) => {
    const head = [...headers.map(([k, v]) => `${k}: ${v}`), 'Content-Type: multipart/mixed; boundary="b"'].join(eol);
    const body = parts.map((p) => `--b${eol}Content-Type: ${p.type}${eol}Content-Transfer-Encoding: ${p.encoding}${eol}${eol}${p.body}`).join(eol);
    return Buffer.from(`${head}${eol}${eol}${body}${closed ? `${eol}--b--${eol}` : ''}`, 'latin1');
  });

describe('fuzzing the mail parser', () => {
  it('parses or refuses any bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2_000 }), async (bytes) => parsesOrRefuses(Buffer.from(bytes))), fuzzParameters());
  });

  it('parses or refuses header blocks of hostile values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(headerName, headerValue), { minLength: 1, maxLength: 15 }), hostileString(1_000), async (headers, body) => {
        await parsesOrRefuses(Buffer.from(`${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}`, 'utf8'));
      }),
      fuzzParameters(),
    );
  });

  it('parses or refuses multipart messages with hostile parts, closed or cut short', async () => {
    await fc.assert(fc.asyncProperty(mime, parsesOrRefuses), fuzzParameters());
  });
});
