// What can still be read from a message mailparser could not parse: its headers (parsed on their
// own, which rarely fails) and its body as text. The caller flags the result `parse_error`.
import type { HeaderValue } from 'mailparser';
import { readMime, type MimeContent } from './read-mime.js';

export async function salvageMessage(raw: Buffer): Promise<MimeContent> {
  const s = raw.toString('utf8');
  const end = /\r?\n\r?\n/.exec(s);
  const headerText = end ? s.slice(0, end.index) : s;
  const bodyText = end ? s.slice(end.index + end[0].length) : '';
  let headers: Pick<MimeContent, 'parsed' | 'raw'> = { parsed: new Map<string, HeaderValue>(), raw: new Map() };
  try {
    // Headers alone, declared as plain text so no MIME structure can trip the parser again.
    const only = headerText.replace(/^content-(?:type|transfer-encoding):.*(?:\r?\n[ \t].*)*$/gim, '').replace(/(?:\r?\n)+$/, '');
    const parsed = await readMime(Buffer.from(`${only}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n`, 'utf8'));
    headers = { parsed: parsed.parsed, raw: parsed.raw };
  } catch {
    // Nothing readable in the headers either: the body alone is what we have.
  }
  return { ...headers, text: bodyText, html: undefined, attachments: [] };
}
