// Which text encoding a CSV file is in. Spreadsheets on Chinese Windows save CSV as GBK (GB18030)
// and on Taiwan/Hong Kong systems as Big5, so UTF-8 is not assumed blindly: a byte-order mark
// decides, else a sample that is valid UTF-8 is UTF-8, else GB18030 when the sample decodes as
// that. Decoding itself is WHATWG TextDecoder (Node's full ICU), streamed.
import { Transform } from 'node:stream';

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

export function sniffEncoding(sample: Buffer): SniffResult {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  // NUL bytes never occur in text without a UTF-16 BOM: an image, archive, spreadsheet (.xlsx)…
  if (sample.includes(0)) return { encoding: null, bomLength: 0 };
  for (const encoding of ['utf-8', 'gb18030'] as const) {
    // stream: true so a multi-byte character cut at the end of the sample is not an error.
    try {
      new TextDecoder(encoding, { fatal: true }).decode(sample, { stream: true });
      return { encoding, bomLength: 0 };
    } catch {
      // try the next one
    }
  }
  return { encoding: null, bomLength: 0 };
}

/** Bytes in, UTF-8 bytes out; throws (fails the stream) on bytes invalid in the encoding. */
export function decodeStream(encoding: CsvEncoding, skipBytes: number): Transform {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let toSkip = skipBytes;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      let bytes = chunk;
      if (toSkip > 0) {
        const n = Math.min(toSkip, bytes.length);
        bytes = bytes.subarray(n);
        toSkip -= n;
      }
      try {
        const text = decoder.decode(bytes, { stream: true });
        done(null, text.length > 0 ? text : undefined);
      } catch {
        done(new InvalidEncodingError(encoding));
      }
    },
    flush(done) {
      try {
        const text = decoder.decode();
        done(null, text.length > 0 ? text : undefined);
      } catch {
        done(new InvalidEncodingError(encoding));
      }
    },
  });
}

export class InvalidEncodingError extends Error {
  constructor(readonly encoding: CsvEncoding) {
    super(`the file contains bytes that are not valid ${encoding}`);
  }
}
