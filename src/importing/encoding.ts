// Which text encoding a CSV file is in. Spreadsheets on Chinese Windows save CSV as GBK (GB18030)
// and on Taiwan/Hong Kong systems as Big5, so UTF-8 is not assumed blindly: a byte-order mark
// decides, else a sample that is valid UTF-8 is UTF-8, else GB18030 or Big5. Big5 bytes are
// nearly always valid GB18030 too (and read as nonsense: 黃磊 → 独経), so when both decode, a
// statistical detector (jschardet, trained on Chinese text in both) chooses. Decoding itself is
// WHATWG TextDecoder (Node's full ICU), streamed; bytes an encoding cannot read become U+FFFD and
// are counted, so an import can refuse (or warn about) text that would be stored damaged.
import { Transform } from 'node:stream';
import { createRequire } from 'node:module';

/** jschardet (CommonJS), loaded the first time bytes need telling apart: its models are ~5 MB of heap
 * that an idle `rapport serve` or a command that reads no mail or CSV never holds. */
const detector = (): typeof import('jschardet') => createRequire(import.meta.url)('jschardet') as typeof import('jschardet');

export const supportedEncodings = ['utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'gbk', 'big5'] as const;
export type CsvEncoding = (typeof supportedEncodings)[number];

export interface SniffResult {
  /** null: the bytes are not text in any encoding we read (binary file). */
  encoding: CsvEncoding | null;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
}

export function isSupportedEncoding(name: string): name is CsvEncoding {
  return (supportedEncodings as readonly string[]).includes(name);
}

function decodes(sample: Buffer, encoding: string): boolean {
  // stream: true so a multi-byte character cut at the end of the sample is not an error.
  try {
    new TextDecoder(encoding, { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Big5 or GB18030 for bytes both can decode: the one jschardet ranks higher. */
export function chineseEncodingOf(sample: Buffer): 'big5' | 'gb18030' {
  const ranked = detector().detectAll(sample, { minimumThreshold: 0, detectEncodings: ['Big5', 'GB2312', 'GB18030'] });
  const top = ranked.find((r) => /^(big5|gb2312|gb18030)$/i.test(r.encoding ?? ''));
  return top && /^big5$/i.test(top.encoding ?? '') ? 'big5' : 'gb18030';
}

export function sniffEncoding(sample: Buffer): SniffResult {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  // NUL bytes never occur in text without a UTF-16 BOM: an image, archive, spreadsheet (.xlsx)…
  if (sample.includes(0)) return { encoding: null, bomLength: 0 };
  if (decodes(sample, 'utf-8')) return { encoding: 'utf-8', bomLength: 0 };
  const gb = decodes(sample, 'gb18030');
  const big5 = decodes(sample, 'big5');
  if (gb && big5) return { encoding: chineseEncodingOf(sample), bomLength: 0 };
  if (gb) return { encoding: 'gb18030', bomLength: 0 };
  if (big5) return { encoding: 'big5', bomLength: 0 };
  return { encoding: null, bomLength: 0 };
}

/** How many characters a decoder could not read (each became U+FFFD). */
export interface DecodeCount {
  replaced: number;
}

/** U+FFFD as UTF-8 bytes: a file may hold the character itself (copied from a damaged source). */
const UTF8_REPLACEMENT = Buffer.from('\uFFFD', 'utf8');

function countReplacements(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) n += 1;
  return n;
}

/** Bytes in, UTF-8 text out; bytes invalid in the encoding become U+FFFD and are counted in `count`. */
export function decodeStream(encoding: CsvEncoding, skipBytes: number, count: DecodeCount = { replaced: 0 }): Transform {
  const decoder = new TextDecoder(encoding);
  let toSkip = skipBytes;
  // U+FFFD written in a UTF-8 file is the file's, not a decoding failure: those are subtracted.
  let literal = 0;
  let carry = Buffer.alloc(0);
  let produced = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      let bytes = chunk;
      if (toSkip > 0) {
        const n = Math.min(toSkip, bytes.length);
        bytes = bytes.subarray(n);
        toSkip -= n;
      }
      if (encoding === 'utf-8') {
        // The last two bytes of the previous chunk are searched again, for a sequence cut in two;
        // a match that lies wholly inside them was counted then.
        const joined = Buffer.concat([carry, bytes]);
        for (let i = joined.indexOf(UTF8_REPLACEMENT); i !== -1; i = joined.indexOf(UTF8_REPLACEMENT, i + 1)) {
          if (i + UTF8_REPLACEMENT.length > carry.length) literal += 1;
        }
        carry = joined.subarray(Math.max(0, joined.length - (UTF8_REPLACEMENT.length - 1)));
      }
      const text = decoder.decode(bytes, { stream: true });
      produced += countReplacements(text);
      count.replaced = Math.max(0, produced - literal);
      done(null, text.length > 0 ? text : undefined);
    },
    flush(done) {
      const text = decoder.decode();
      produced += countReplacements(text);
      count.replaced = Math.max(0, produced - literal);
      done(null, text.length > 0 ? text : undefined);
    },
  });
}
