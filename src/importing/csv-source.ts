// A CSV file read as a stream of records, never whole: a first pass checks that the file is CSV at
// all (encoding, quoting, header) and counts its records before anything is written, a second pass
// yields the records with the line each starts on. Both passes hold one record at a time.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { CsvError, parse, type Parser } from 'csv-parse';
import { RapportError } from '../core/errors.js';
import { decodeStream, isSupportedEncoding, sniffEncoding, supportedEncodings, type CsvEncoding, type DecodeCount } from './encoding.js';

export interface CsvRecord {
  /** The line the record starts on (the header is line 1), as an editor shows it. */
  line: number;
  fields: string[];
}

export interface CsvSource<M> {
  path: string;
  /** What the header told `readHeader` (the column map). */
  columns: M;
  encoding: CsvEncoding;
  /** Characters the encoding could not read, imported as U+FFFD (only when --encoding forced it; else the file is refused). */
  replacedCharacters: number;
  header: string[];
  /** Data records (header excluded), counted by the first pass. */
  total: number;
  /** Streams the data records again, from the top. */
  records(): AsyncIterable<CsvRecord>;
}

export interface OpenCsvOptions {
  /** Forces an encoding; default: detected (byte-order mark, else UTF-8, else GB18030). */
  encoding?: string | undefined;
}

const SAMPLE_BYTES = 64 * 1024;
/** One record larger than this means the file is not the CSV we think (no line breaks, binary…). */
const MAX_RECORD_CHARS = 1024 * 1024;

const notCsv = (path: string, why: string, extra: Record<string, unknown> = {}) =>
  new RapportError('validation', `${path} is not a CSV file we can read: ${why}`, { reason: 'not_csv', ...extra });

/**
 * Opens and checks a CSV file. `readHeader` gets the header before the rest of the file is read
 * and throws to refuse the file (missing columns…).
 */
export async function openCsv<M>(path: string, readHeader: (header: string[]) => M, opts: OpenCsvOptions = {}): Promise<CsvSource<M>> {
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new RapportError('validation', `file ${path} not found`, { reason: 'file_not_found', path });
    throw new RapportError('validation', `cannot read ${path}: ${e.code ?? e.message}`, { reason: 'file_unreadable', path });
  });
  if (!info.isFile()) throw new RapportError('validation', `${path} is not a file`, { reason: 'file_unreadable', path });
  if (info.size === 0) throw notCsv(path, 'the file is empty');

  let encoding: CsvEncoding;
  let bomLength = 0;
  const sniffed = sniffEncoding(await readSample(path));
  if (opts.encoding) {
    const wanted = opts.encoding.toLowerCase().replace(/^utf8$/, 'utf-8');
    if (!isSupportedEncoding(wanted)) {
      throw new RapportError('validation', `unsupported encoding ${opts.encoding}; use one of ${supportedEncodings.join(', ')}`, { reason: 'bad_encoding' });
    }
    encoding = wanted;
    if (sniffed.encoding === wanted) bomLength = sniffed.bomLength;
  } else {
    if (!sniffed.encoding) throw notCsv(path, 'it holds binary data, not text (a spreadsheet must be saved as CSV first)');
    encoding = sniffed.encoding;
    bomLength = sniffed.bomLength;
  }

  let found: { header: string[]; columns: M } | null = null;
  let total = 0;
  const count: DecodeCount = { replaced: 0 };
  for await (const record of readRecords(path, encoding, bomLength, count)) {
    if (!found) {
      const header = record.fields.map((f) => f.trim());
      found = { header, columns: readHeader(header) };
    } else total += 1;
  }
  if (!found) throw notCsv(path, 'the file has no header row');
  if (count.replaced > 0 && !opts.encoding) {
    // Detected, yet not all of it reads: names would be stored as "�". Nothing has been written.
    const others = (['big5', 'gbk', 'utf-8'] as const).filter((e) => e !== encoding && !(e === 'gbk' && encoding === 'gb18030'));
    throw new RapportError(
      'validation',
      `${path}: ${count.replaced} characters are not valid ${encoding} and would be stored as "\uFFFD"; nothing was written. ` +
        `Name the file's encoding: ${others.map((e) => `--encoding ${e}`).join(' or ')}`,
      { reason: 'undecodable_text', encoding, replaced: count.replaced, suggestions: others },
    );
  }
  return {
    path,
    encoding,
    replacedCharacters: count.replaced,
    ...found,
    total,
    async *records() {
      let first = true;
      for await (const record of readRecords(path, encoding, bomLength)) {
        if (first) first = false;
        else yield record;
      }
    },
  };
}

async function readSample(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/** Every record including the header; parse and decoding errors become `not_csv` with a line. */
async function* readRecords(path: string, encoding: CsvEncoding, bomLength: number, count?: DecodeCount): AsyncGenerator<CsvRecord> {
  const parser: Parser = parse({
    info: true,
    trim: true,
    skip_empty_lines: true,
    // Rows of empty cells (",,,," left at the bottom of a spreadsheet) are blank lines too.
    skip_records_with_empty_values: true,
    // A row with a missing or extra field is that row's problem, not the file's.
    relax_column_count: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  pipeline(createReadStream(path), decodeStream(encoding, bomLength, count), parser, () => {});
  try {
    for await (const { record, info } of parser as AsyncIterable<ParsedRecord>) {
      // `lines` is where the record ends; quoted fields may span lines.
      const inner = record.reduce((n, f) => n + countNewlines(f), 0);
      yield { line: info.lines - inner, fields: record };
    }
  } catch (e) {
    const err = e as { code?: string; message?: string; lines?: number };
    // csv-parse's codes are not all prefixed (INVALID_OPENING_QUOTE, QUOTE_NOT_CLOSED…): its class says it.
    if (e instanceof CsvError || err.code?.startsWith('CSV_')) {
      throw notCsv(path, `${err.message ?? err.code}`, { csvError: err.code, line: err.lines });
    }
    throw e;
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n += 1;
  return n;
}
