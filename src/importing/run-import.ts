// The import loop shared by customers and orders: records stream in, batches of rows are written in
// one transaction each (for speed), and every row in its own savepoint inside it, so a bad row is
// rolled back alone and reported with its line while the rest of the batch commits. Counts are
// taken only for committed batches.
//
// An importer may also offer a fast path for rows it can write without a savepoint (a customer none
// of whose identities exists: two statements instead of six). Such a row that fails after all (a
// concurrent writer took its email) rolls the whole batch back, and the batch is written again the
// careful way, every row in its savepoint; so the fast path changes the speed, never the outcome.
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
  /** The fast path: for a row it accepts, a write without a savepoint that is expected to succeed. */
  fast?: {
    accepts(row: T, batch: B): boolean;
    write(tx: Tx, row: T, batch: B): Promise<{ created: boolean }>;
  };
}

/** A fast-path row failed: roll the batch back and write it again carefully. */
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
  let batch: CsvRecord[] = [];
  for await (const record of source.records()) {
    batch.push(record);
    if (batch.length >= batchSize) {
      await writeBatch(db, batch, source.header.length, importer, summary);
      opts.onProgress?.(summary.rows, source.total);
      batch = [];
    }
  }
  if (batch.length > 0) await writeBatch(db, batch, source.header.length, importer, summary);
  opts.onProgress?.(summary.rows, source.total);
  return summary;
}

async function writeBatch<T, B>(db: Db, records: CsvRecord[], width: number, importer: RowImporter<T, B>, summary: ImportSummary): Promise<void> {
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

  const parseRejected = rejected.length;
  let created = 0;
  let updated = 0;
  const warnings: { line: number; message: string }[] = [];
  const attempt = async (fast: RowImporter<T, B>['fast']) => {
    created = 0;
    updated = 0;
    warnings.length = 0;
    rejected.length = parseRejected;
    await db.transaction(async (tx) => {
      const batch = (await importer.prepare?.(tx, valid.map((p) => p.row))) as B;
      for (const p of valid) {
        let result: { created: boolean };
        if (fast?.accepts(p.row, batch)) {
          result = await fast.write(tx, p.row, batch).catch((e: unknown) => {
            throw new RetryCarefully('a fast-path row failed', { cause: e });
          });
        } else {
          try {
            result = await tx.transaction((savepoint) => importer.write(savepoint, p.row, batch));
          } catch (e) {
            const r = rejectionFor(e);
            if (!r) throw e;
            reject(p.line, r);
            continue;
          }
        }
        if (result.created) created += 1;
        else updated += 1;
        for (const message of p.warnings) warnings.push({ line: p.line, message });
      }
    });
  };
  try {
    await attempt(importer.fast).catch((e: unknown) => {
      if (e instanceof RetryCarefully) return attempt(undefined);
      throw e;
    });
  } catch (e) {
    throw interrupted(e, records[0]?.line ?? 0, summary.rows);
  }

  rejected.sort((a, b) => a.line - b.line);
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
