// Builds raw RFC 822 messages for tests the way mail clients write them: headers as RFC 2047
// encoded words and bodies in any charset (iconv-lite), base64, quoted-printable or 8bit.
import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';

/** iconv-lite decodes but cannot encode ISO-2022-JP; encoding-japanese (what libmime uses) can. */
function encodeText(text: string, charset: string): Buffer {
  if (charset.toLowerCase() === 'iso-2022-jp') return Buffer.from(Encoding.convert(Encoding.stringToCode(text), { to: 'JIS', from: 'UNICODE' }));
  return iconv.encode(text, charset);
}

export type TransferEncoding = 'base64' | 'quoted-printable' | '8bit' | '7bit';

export interface Part {
  type?: string;
  charset?: string;
  encoding?: TransferEncoding;
  body: string | Buffer;
  /** Extra MIME headers of the part (Content-Disposition, …). */
  headers?: Record<string, string>;
}

/** `=?charset?B?…?=` of a header text in the given charset. */
export function encodedWord(text: string, charset = 'utf-8', mode: 'B' | 'Q' = 'B'): string {
  const bytes = encodeText(text, charset);
  if (mode === 'B') return `=?${charset}?B?${bytes.toString('base64')}?=`;
  // In a phrase (display names) RFC 2047 allows only letters, digits and !*+-/ unencoded.
  const q = [...bytes].map((b) => (b === 0x20 ? '_' : /[A-Za-z0-9!*+\-/]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  return `=?${charset}?Q?${q}?=`;
}

export function quotedPrintable(bytes: Buffer): string {
  const lines: string[] = [];
  let line = '';
  for (const b of bytes) {
    if (b === 0x0a) {
      lines.push(line);
      line = '';
      continue;
    }
    const enc = (b >= 0x21 && b <= 0x7e && b !== 0x3d) || b === 0x20 ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    if (line.length + enc.length > 75) {
      lines.push(`${line}=`);
      line = '';
    }
    line += enc;
  }
  lines.push(line);
  return lines.join('\r\n');
}

function encodeBody(part: Part): Buffer {
  const bytes = Buffer.isBuffer(part.body) ? part.body : encodeText(part.body.replace(/\r?\n/g, '\r\n'), part.charset ?? 'utf-8');
  switch (part.encoding ?? 'base64') {
    case 'base64':
      return Buffer.from(bytes.toString('base64').replace(/.{76}/g, '$&\r\n'), 'latin1');
    case 'quoted-printable':
      return Buffer.from(quotedPrintable(Buffer.isBuffer(part.body) ? part.body : encodeText(part.body, part.charset ?? 'utf-8')), 'latin1');
    default:
      return bytes;
  }
}

function partHead(part: Part): string {
  const type = part.type ?? 'text/plain';
  const charset = type.startsWith('text/') ? `; charset="${part.charset ?? 'utf-8'}"` : '';
  const extra = Object.entries(part.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return `Content-Type: ${type}${charset}\r\nContent-Transfer-Encoding: ${part.encoding ?? 'base64'}\r\n${extra}`;
}

/** A whole message: `headers` in order, then one part or a multipart of several. */
export function buildEml(headers: Record<string, string>, parts: Part | Part[], multipart = 'alternative'): Buffer {
  const head = Object.entries({ 'MIME-Version': '1.0', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  if (!Array.isArray(parts)) return Buffer.concat([Buffer.from(head + partHead(parts) + '\r\n', 'latin1'), encodeBody(parts)]);
  const boundary = `----=_Part_${Math.random().toString(36).slice(2)}`;
  const chunks: Buffer[] = [Buffer.from(`${head}Content-Type: multipart/${multipart}; boundary="${boundary}"\r\n\r\nThis is a multi-part message in MIME format.\r\n`, 'latin1')];
  for (const p of parts) chunks.push(Buffer.from(`\r\n--${boundary}\r\n${partHead(p)}\r\n`, 'latin1'), encodeBody(p));
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1'));
  return Buffer.concat(chunks);
}
