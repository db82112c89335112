// What can still be read from a message mailparser could not parse: its headers (parsed on their
// own, which rarely fails) and its body as text. The caller flags the result `parse_error`. A
// header block over mailparser's 1 MiB limit (a megabyte-long Subject) is read with every line cut
// to a length no real header reaches, so the From, Message-ID and the start of the subject survive.
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
    const only = boundLines(headerText).replace(/^content-(?:type|transfer-encoding):.*(?:\r?\n[ \t].*)*$/gim, '').replace(/(?:\r?\n)+$/, '');
    const parsed = await readMime(Buffer.from(`${only}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n`, 'utf8'));
    headers = { parsed: parsed.parsed, raw: parsed.raw };
  } catch {
    // Nothing readable in the headers either: the body alone is what we have.
  }
  return { ...headers, text: bodyText, html: undefined, attachments: [] };
}

/** Longest header line kept when salvaging (a subject is stored with at most 998 characters). */
const maxSalvagedLine = 16 * 1024;

/** Header bytes kept in all, well under mailparser's limit. */
const maxSalvagedHeader = 512 * 1024;

function boundLines(headerText: string): string {
  if (headerText.length <= maxSalvagedLine) return headerText;
  const out: string[] = [];
  let size = 0;
  for (const line of headerText.split(/\r?\n/)) {
    const kept = line.length > maxSalvagedLine ? line.slice(0, maxSalvagedLine) : line;
    size += kept.length + 2;
    if (size > maxSalvagedHeader) break;
    out.push(kept);
  }
  return out.join('\r\n');
}
