// Builds raw RFC 822 messages for the bundled sample, in the charsets Chinese clients send
// (GBK, GB18030, Big5) as well as UTF-8, so the demo goes through the real mail parser.
import iconv from 'iconv-lite';

export interface SampleEmail {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  hoursAgo: number;
  inReplyTo?: string;
  charset?: string;
  autoSubmitted?: string;
}

const messageId = (id: string) => `<${id}@demo.rapport.example>`;

function encodeHeader(value: string, charset: string): string {
  if (/^[\x00-\x7f]*$/.test(value)) return value;
  return `=?${charset.toUpperCase()}?B?${iconv.encode(value, charset).toString('base64')}?=`;
}

export function sampleEml(m: SampleEmail, now: Date): Buffer {
  const charset = m.charset ?? 'utf-8';
  const body = iconv.encode(m.text.replace(/\n/g, '\r\n'), charset).toString('base64').replace(/(.{76})/g, '$1\r\n');
  const headers = [
    `From: ${m.from}`,
    `To: ${m.to}`,
    `Subject: ${encodeHeader(m.subject, charset)}`,
    `Date: ${new Date(now.getTime() - m.hoursAgo * 3_600_000).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${messageId(m.id)}`,
    ...(m.inReplyTo ? [`In-Reply-To: ${messageId(m.inReplyTo)}`, `References: ${messageId(m.inReplyTo)}`] : []),
    ...(m.autoSubmitted ? [`Auto-Submitted: ${m.autoSubmitted}`] : []),
    'MIME-Version: 1.0',
    `Content-Type: text/plain; charset=${charset.toUpperCase()}`,
    'Content-Transfer-Encoding: base64',
  ];
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}\r\n`, 'latin1');
}
