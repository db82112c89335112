// Charset labels as real mailers write them → a decoder. Canonical names and the aliases the
// WHATWG Encoding Standard or iconv-lite know (x-gbk, cp936, ms936, windows-936, gb_2312-80,
// big5-hkscs, ks_c_5601-1987…) resolve as they are; a few labels both miss but mailers send are
// mapped here (big5_tw, x-big5 are Big5). A label nobody knows is not decoded as UTF-8 (which turns
// GBK into "�����"): the bytes are read in the Chinese encoding they decode in, Big5 and GB18030
// told apart by jschardet, as CSV files are.
import { Transform } from 'node:stream';
import iconv from 'iconv-lite';
import { createRequire } from 'node:module';

/** jschardet (CommonJS), loaded the first time bytes need telling apart: its models are ~5 MB of heap
 * that an idle `rapport serve` or a command that reads no mail or CSV never holds. */
const detector = (): typeof import('jschardet') => createRequire(import.meta.url)('jschardet') as typeof import('jschardet');

/** Labels mail clients send that neither WHATWG nor iconv-lite knows, and what they mean. */
const extraAliases: Record<string, string> = {
  big5_tw: 'big5',
  'big5-tw': 'big5',
  'x-big5': 'big5',
  'x-x-big5': 'big5',
  'big-5': 'big5',
  'cn-gb': 'gbk',
  'x-gb2312': 'gbk',
  'x-cp936': 'gbk',
  'x-euc-cn': 'gbk',
};

export interface CharsetDecoder {
  /** What the bytes are read as (a WHATWG or iconv-lite name), or null: unknown, detect from the bytes. */
  charset: string | null;
  decode(bytes: Buffer): string;
}

function whatwgName(label: string): string | null {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return null;
  }
}

/** The decoder's name for a label, or null when neither WHATWG nor iconv-lite knows it. */
export function canonicalCharset(label: string): string | null {
  const l = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
  const mapped = extraAliases[l] ?? l;
  // GB2312 mail is really GBK (senders write GBK characters under that label), as mailparser reads it.
  if (/^(gb2312|gb_2312|csgb2312|gb2312_80)$/.test(mapped)) return 'gbk';
  return whatwgName(mapped) ?? (iconv.encodingExists(mapped) ? mapped : null);
}

/** Bytes of unknown charset: UTF-8 when they are valid UTF-8, else Big5 or GB18030 as the bytes say. */
export function detectCharset(bytes: Buffer): string {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    // not UTF-8
  }
  const valid = (enc: string) => {
    try {
      new TextDecoder(enc, { fatal: true }).decode(bytes);
      return true;
    } catch {
      return false;
    }
  };
  const big5 = valid('big5');
  if (big5 && valid('gb18030')) {
    const top = detector().detectAll(bytes, { minimumThreshold: 0, detectEncodings: ['Big5', 'GB18030'] }).find((r) => r.encoding);
    return /^big5$/i.test(top?.encoding ?? '') ? 'big5' : 'gb18030';
  }
  return big5 ? 'big5' : 'gb18030';
}

export function decodeWith(charset: string, bytes: Buffer): string {
  return whatwgName(charset) ? new TextDecoder(charset).decode(bytes) : iconv.decode(bytes, charset);
}

/** Decodes bytes labelled `label`: by its charset when known, else by what the bytes look like. */
export function decodeLabelled(label: string, bytes: Buffer): string {
  return decodeWith(canonicalCharset(label) ?? detectCharset(bytes), bytes);
}

/**
 * The `Iconv` mailparser accepts (`new Iconv(from, to)`, a stream of UTF-8 out): body parts are
 * decoded by their label when known and by detection when not. It buffers the part, which
 * mailparser keeps in memory anyway for text parts.
 */
export class LabelledCharsetStream extends Transform {
  private readonly chunks: Buffer[] = [];
  constructor(private readonly label: string) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk);
    done();
  }
  override _flush(done: (err: Error | null, data?: Buffer) => void): void {
    done(null, Buffer.from(decodeLabelled(this.label, Buffer.concat(this.chunks)), 'utf8'));
  }
}

const ENCODED_WORD = /=\?([^?\s*]+)(\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=/g;

function wordBytes(encoding: string, payload: string): Buffer {
  if (encoding.toUpperCase() === 'B') return Buffer.from(payload, 'base64');
  return Buffer.from(payload.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
}

/**
 * RFC 2047 words whose charset label libmime would not read right, rewritten before parsing: a
 * known alias gets its canonical name, an unknown label is decoded here (detected) and written
 * back as a UTF-8 word. Words with labels libmime reads are left exactly as they are.
 */
export function canonicalEncodedWords(headerText: string): string {
  return headerText.replace(ENCODED_WORD, (word, label: string, lang: string | undefined, encoding: string, payload: string) => {
    const l = label.toLowerCase();
    if (whatwgName(l) || (iconv.encodingExists(l) && !extraAliases[l])) return word;
    const canonical = canonicalCharset(l);
    if (canonical) return `=?${canonical}${lang ?? ''}?${encoding}?${payload}?=`;
    const text = decodeLabelled(l, wordBytes(encoding, payload));
    return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
  });
}
