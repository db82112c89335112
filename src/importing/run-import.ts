// The import loop shared by customers and orders: records stream in, batches of rows are written in
// one transaction each (for speed), and every row in its own savepoint inside it, so a bad row is
// rolled back alone and reported with its line while the rest of the batch commits. Counts are
// taken only for committed batches.
//
// An importer may also offer a bulk path for the rows of a batch it can write all at once, without a
// savepoint each (new customers: a few statements for the whole batch instead of two a row). They
// are written first, then the other rows one by one, in file order. Should the bulk write fail after
// all (a concurrent writer took an email), the whole batch rolls back and is written again the
// careful way, every row in its savepoint; so the bulk path changes the speed, never the outcome.
import { RapportError } from '../core/errors.js';
import type { Db, Tx } from '../store/database.js';
import type { CsvRecord, CsvSource } from './csv-source.js';
import type { ImportSummary } from './import-summary.js';
import { rejectionFor, RowRejected, type RejectedRow } from './row-rejection.js';

export const DEFAULT_BATCH_SIZE = 500;

export interface ImportDeps {
  db: Db;
  /** Region for phone numbers without a country code (RAPPORT_DEFAULT_REGION). */
  defaultRegion: string;
}

export interface ImportOptions {
  /** Rows per transaction (default 500). */
  batchSize?: number | undefined;
  /** Force the file's encoding (default: detected). */
  encoding?: string | undefined;
  /** Called once the file is checked (0 done), then after each committed batch, with rows done and rows in the file. */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface RowImporter<T, B = undefined> {
  /** Validates a row without touching the database; throws RowRejected. */
  parse(fields: string[]): { row: T; warnings: string[] };
  /** Once per batch, in its transaction, before its rows: e.g. one lookup for all of them. */
  prepare?(tx: Tx, rows: T[]): Promise<B>;
  /** Writes one valid row (inside its savepoint); may throw RowRejected or a conflict. */
  write(tx: Tx, row: T, batch: B): Promise<{ created: boolean }>;
  /** The bulk path: rows written together, before the others, without a savepoint each. */
  bulk?: {
    /**
     * Which of the batch's valid rows (in file order) it takes. A row it takes must be one whose
     * outcome no row before it in the batch can change, and that cannot change theirs: taken rows
     * are written before all the others.
     */
    select(rows: T[], batch: B): boolean[];
    /** Writes the rows taken, all expected to succeed; one result per row. */
    write(tx: Tx, rows: T[], batch: B): Promise<{ created: boolean }[]>;
  };
}

/** The bulk write failed: roll the batch back and write it again carefully. */
class RetryCarefully extends Error {}

interface Parsed<T> {
  line: number;
  row: T;
  warnings: string[];
}

export async function runImport<T, B>(
  db: Db,
  source: CsvSource<{ ignored: string[] }>,
  importer: RowImporter<T, B>,
  summary: ImportSummary,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  summary.encoding = source.encoding;
  summary.replacedCharacters = source.replacedCharacters;
  summary.ignoredColumns = source.columns.ignored;
  opts.onProgress?.(0, source.total);
  const width = source.header.length;
  // The next batch is read and checked while the database writes the one before: CSV parsing and
  // normalization use the time spent waiting for it. Batches are still written one after the other.
  let writing: Promise<void> = Promise.resolve();
  const flush = async (records: CsvRecord[], report: boolean) => {
    const parsed = parseBatch(records, width, importer);
    await writing;
    writing = writeBatch(db, records, parsed, importer, summary).then(() => {
      if (report) opts.onProgress?.(summary.rows, source.total);
    });
    writing.catch(() => {}); // awaited by the next flush or below, never left unhandled
  };
  try {
    let batch: CsvRecord[] = [];
    for await (const record of source.records()) {
      batch.push(record);
      if (batch.length >= batchSize) {
        await flush(batch, true);
        batch = [];
      }
    }
    if (batch.length > 0) await flush(batch, false);
  } finally {
    // A batch still being written is finished (or fails) before anything else is said.
    await writing;
  }
  opts.onProgress?.(summary.rows, source.total);
  return summary;
}

interface ParsedBatch<T> {
  valid: Parsed<T>[];
  /** Rows refused before any write (field count, invalid values). */
  rejected: RejectedRow[];
}

function parseBatch<T, B>(records: CsvRecord[], width: number, importer: RowImporter<T, B>): ParsedBatch<T> {
  const rejected: RejectedRow[] = [];
  const reject = (line: number, r: RowRejected) => rejected.push({ line, code: r.code, reason: r.message });
  const valid: Parsed<T>[] = [];
  for (const { line, fields } of records) {
    const shape = checkWidth(fields, width);
    if (shape) {
      reject(line, shape);
      continue;
    }
    try {
      valid.push({ line, ...importer.parse(fields) });
    } catch (e) {
      const r = rejectionFor(e);
      if (!r) throw e;
      reject(line, r);
    }
  }
  return { valid, rejected };
}

async function writeBatch<T, B>(db: Db, records: CsvRecord[], parsed: ParsedBatch<T>, importer: RowImporter<T, B>, summary: ImportSummary): Promise<void> {
  const { valid } = parsed;
  const rejected = [...parsed.rejected];
  const reject = (line: number, r: RowRejected) => rejected.push({ line, code: r.code, reason: r.message });
  const parseRejected = rejected.length;
  let created = 0;
  let updated = 0;
  const warnings: { line: number; message: string }[] = [];
  const attempt = async (bulk: RowImporter<T, B>['bulk']) => {
    created = 0;
    updated = 0;
    warnings.length = 0;
    rejected.length = parseRejected;
    await db.transaction(async (tx) => {
      const rows = valid.map((p) => p.row);
      const batch = (await importer.prepare?.(tx, rows)) as B;
      const taken = bulk && rows.length > 0 ? bulk.select(rows, batch) : [];
      const written = (p: Parsed<T>, result: { created: boolean }) => {
        if (result.created) created += 1;
        else updated += 1;
        for (const message of p.warnings) warnings.push({ line: p.line, message });
      };
      const together = valid.filter((_, i) => taken[i]);
      if (bulk && together.length > 0) {
        const results = await bulk.write(tx, together.map((p) => p.row), batch).catch((e: unknown) => {
          throw new RetryCarefully('the bulk write failed', { cause: e });
        });
        together.forEach((p, i) => written(p, results[i]!));
      }
      for (const [i, p] of valid.entries()) {
        if (taken[i]) continue;
        try {
          written(p, await tx.transaction((savepoint) => importer.write(savepoint, p.row, batch)));
        } catch (e) {
          const r = rejectionFor(e);
          if (!r) throw e;
          reject(p.line, r);
        }
      }
    });
  };
  try {
    await attempt(importer.bulk).catch((e: unknown) => {
      if (e instanceof RetryCarefully) return attempt(undefined);
      throw e;
    });
  } catch (e) {
    throw interrupted(e, records[0]?.line ?? 0, summary.rows);
  }

  rejected.sort((a, b) => a.line - b.line);
  warnings.sort((a, b) => a.line - b.line);
  summary.rows += records.length;
  summary.created += created;
  summary.updated += updated;
  summary.rejected += rejected.length;
  summary.rejectedRows.push(...rejected);
  summary.warnings += new Set(warnings.map((w) => w.line)).size;
  summary.warningRows.push(...warnings);
}

/** A row with fields missing, or with extra non-empty fields, is refused as a whole. */
function checkWidth(fields: string[], width: number): RowRejected | null {
  if (fields.length < width) return new RowRejected('field_count', `the row has ${fields.length} fields, the header has ${width}`);
  if (fields.slice(width).some((f) => f.trim() !== '')) {
    return new RowRejected('field_count', `the row has ${fields.length} fields, the header has ${width} (a comma inside a value must be quoted)`);
  }
  return null;
}

/** Not a row's fault (the database went away…): stop, and say what is already committed. */
function interrupted(e: unknown, line: number, rowsImported: number): RapportError {
  const why = (e as { cause?: Error }).cause?.message ?? (e as Error).message;
  return new RapportError(
    'unavailable',
    `the import stopped at line ${line}: ${why}; the ${rowsImported} rows before that batch are imported, and re-running the file is safe`,
    { reason: 'import_interrupted', line, rowsImported },
    { cause: e },
  );
}
