// Raw RFC 822 messages for IMAP tests, built the way mail clients write them (CRLF, encoded words,
// 8-bit bodies in legacy Chinese charsets).
import iconv from 'iconv-lite';

export interface FixtureOptions {
  id: string;
  from?: string;
  to?: string;
  subject?: string;
  body?: string;
  date?: Date;
  headers?: Record<string, string>;
}

export function plainMessage(o: FixtureOptions): string {
  const headers = {
    From: o.from ?? 'Alice Customer <alice@customer-co.com>',
    To: o.to ?? 'Support <support@ourco.com>',
    Subject: o.subject ?? `Question ${o.id}`,
    'Message-ID': `<${o.id}@customer-co.com>`,
    Date: (o.date ?? new Date('2026-11-20T10:00:00Z')).toUTCString(),
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=utf-8',
    ...o.headers,
  };
  const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n');
  return `${head}\r\n\r\n${(o.body ?? `Hello, this is message ${o.id}.`).replace(/\r?\n/g, '\r\n')}\r\n`;
}

/** A message in a legacy charset: RFC 2047 subject (base64) and a raw 8-bit body in that charset. */
export function charsetMessage(o: { id: string; charset: 'GBK' | 'GB18030' | 'Big5' | 'GB2312'; subject: string; body: string; from?: string }): Buffer {
  const subject = `=?${o.charset}?B?${iconv.encode(o.subject, o.charset).toString('base64')}?=`;
  const head = [
    `From: ${o.from ?? 'wang@kehu.cn'}`,
    'To: support@ourco.com',
    `Subject: ${subject}`,
    `Message-ID: <${o.id}@kehu.cn>`,
    'Date: Fri, 20 Nov 2026 10:00:00 +0800',
    'MIME-Version: 1.0',
    `Content-Type: text/plain; charset=${o.charset}`,
    'Content-Transfer-Encoding: 8bit',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`), iconv.encode(o.body.replace(/\n/g, '\r\n'), o.charset), Buffer.from('\r\n')]);
}

/** A message of about `bytes` bytes: a short text part and one base64 attachment. */
export function largeMessage(id: string, bytes: number): Buffer {
  const boundary = 'b-large-1';
  const payload = Buffer.alloc(Math.ceil((bytes * 3) / 4), 7).toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    [
      'From: Alice Customer <alice@customer-co.com>',
      'To: support@ourco.com',
      'Subject: logs attached',
      `Message-ID: <${id}@customer-co.com>`,
      'Date: Fri, 20 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The logs you asked for are attached.',
      `--${boundary}`,
      'Content-Type: application/octet-stream; name="logs.bin"',
      'Content-Disposition: attachment; filename="logs.bin"',
      'Content-Transfer-Encoding: base64',
      '',
      payload,
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
}

/** multipart/mixed whose boundary never appears in the body. */
export function malformedMimeMessage(id: string): string {
  return [
    'From: Bob <bob@customer-co.com>',
    'To: support@ourco.com',
    'Subject: broken structure',
    `Message-ID: <${id}@customer-co.com>`,
    'Date: Fri, 20 Nov 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="never-used"',
    '',
    'This body has no parts at all, the boundary is missing.',
    '',
  ].join('\r\n');
}
