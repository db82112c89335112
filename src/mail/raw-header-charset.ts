// Some Chinese senders (old clients, ERP and ticket systems) write headers as raw 8-bit GBK/Big5
// instead of RFC 2047 encoded words. mailparser reads raw header bytes as UTF-8, so such a subject
// turns to U+FFFD. Before parsing, a header block that is not valid UTF-8 is re-encoded to UTF-8
// from the message's declared charset, else GB18030 (a superset of GBK and GB2312), else Big5.
import { TextDecoder } from 'node:util';
import { canonicalEncodedWords } from './charset-label.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decoderFor(label: string): TextDecoder | null {
  try {
    return new TextDecoder(label, { fatal: true });
  } catch {
    return null;
  }
}

function decodes(bytes: Buffer, label: string): string | null {
  try {
    return decoderFor(label)?.decode(bytes) ?? null;
  } catch {
    return null;
  }
}

/**
 * The raw message with its header block in UTF-8 (unchanged when it already was, or was ASCII), and
 * its RFC 2047 words under charset labels libmime reads (see charset-label.ts).
 */
export function repairRawHeaders(input: Buffer): Buffer {
  let raw = input;
  const scan = raw.subarray(0, 256 * 1024);
  let end = scan.indexOf('\r\n\r\n');
  const lf = scan.indexOf('\n\n');
  if (end === -1 || (lf !== -1 && lf < end)) end = lf;
  let header = end === -1 ? scan : scan.subarray(0, end);
  if (header.includes('=?')) {
    const rewritten = canonicalEncodedWords(header.toString('latin1'));
    if (rewritten !== header.toString('latin1')) {
      raw = Buffer.concat([Buffer.from(rewritten, 'latin1'), raw.subarray(header.length)]);
      header = raw.subarray(0, Buffer.byteLength(rewritten, 'latin1'));
    }
  }
  if (!header.some((b) => b >= 0x80)) return raw;
  try {
    strictUtf8.decode(header);
    return raw;
  } catch {
    // Not UTF-8: try the charsets this sender is likely to use.
  }
  const declared = /charset\s*=\s*"?([A-Za-z0-9_.:-]+)/i.exec(header.toString('latin1'))?.[1];
  for (const label of [declared, 'gb18030', 'big5'].filter((l): l is string => Boolean(l))) {
    const text = decodes(header, label);
    if (text !== null) return Buffer.concat([Buffer.from(text, 'utf8'), raw.subarray(header.length)]);
  }
  return raw;
}
