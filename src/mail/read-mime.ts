// One pass of mailparser over a raw message: headers, decoded text/HTML, and attachment metadata.
// Attachment bodies are hashed as they stream past and never kept.
import { MailParser, type AddressObject, type HeaderValue, type MessageText } from 'mailparser';
import type { AttachmentMeta } from '../core/inbound-message.js';
import { LabelledCharsetStream } from './charset-label.js';

export interface MimeContent {
  /** Parsed header values by lower-case name (addresses as objects, date as Date). */
  parsed: Map<string, HeaderValue>;
  /** Raw header values by lower-case name, unfolded, in order of appearance. */
  raw: Map<string, string[]>;
  text: string | undefined;
  html: string | undefined;
  attachments: AttachmentMeta[];
}

interface StreamedAttachment {
  filename?: string;
  contentType: string;
  size?: number;
  checksum?: string;
  content: NodeJS.ReadableStream;
  release(): void;
}

/** Parses a message with mailparser; rejects only when mailparser itself fails. */
export function readMime(raw: Buffer): Promise<MimeContent> {
  return new Promise((resolve, reject) => {
    const parser = new MailParser({
      checksumAlgo: 'sha256',
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
      // Bodies are decoded by charset label, aliases included, and by detection for unknown labels.
      Iconv: LabelledCharsetStream as never,
    });
    const out: MimeContent = { parsed: new Map(), raw: new Map(), text: undefined, html: undefined, attachments: [] };
    const streamed: StreamedAttachment[] = [];
    parser.on('headers', (headers: Map<string, HeaderValue>) => {
      out.parsed = headers;
    });
    parser.on('headerLines', (lines: { key: string; line: string }[]) => {
      for (const { key, line } of lines) {
        const value = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
        const list = out.raw.get(key.toLowerCase()) ?? [];
        list.push(value);
        out.raw.set(key.toLowerCase(), list);
      }
    });
    parser.on('data', (data: MessageText | StreamedAttachment) => {
      if ('type' in data && data.type === 'text') {
        out.text = data.text;
        out.html = typeof data.html === 'string' ? data.html : undefined;
        return;
      }
      const attachment = data as StreamedAttachment;
      streamed.push(attachment);
      attachment.content.on('data', () => {});
      attachment.content.on('end', () => attachment.release());
    });
    parser.on('error', reject);
    parser.on('end', () => {
      out.attachments = streamed.map((a) => ({
        name: a.filename ?? null,
        type: a.contentType,
        size: a.size ?? 0,
        sha256: a.checksum,
      }));
      resolve(out);
    });
    parser.end(raw);
  });
}

/** Address headers as a flat list (groups expanded). */
export function addressesOf(value: HeaderValue | undefined): { address?: string; name: string }[] {
  if (!value || typeof value !== 'object') return [];
  const objects = (Array.isArray(value) ? value : [value]) as AddressObject[];
  const out: { address?: string; name: string }[] = [];
  for (const o of objects) {
    for (const a of o.value ?? []) {
      if (a.group) out.push(...a.group.map((g) => ({ address: g.address, name: g.name })));
      else out.push({ address: a.address, name: a.name });
    }
  }
  return out;
}
