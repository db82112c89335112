// Maps a CSV header row onto the columns an import knows. Names are matched case-insensitively,
// with spaces and hyphens read as underscores ("External ID" is external_id); unknown columns are
// ignored and listed in the summary, so a misspelt column is noticed rather than silently lost.
import { RapportError } from '../core/errors.js';

export interface ColumnSpec<K extends string> {
  key: K;
  /** Other spellings accepted for this column, e.g. the singular "email" for "emails". */
  aliases?: string[];
  required?: boolean;
}

export interface HeaderMap<K extends string> {
  /** Field index of each known column present in the file. */
  index: Partial<Record<K, number>>;
  /** Header names that are no known column, as written in the file. */
  ignored: string[];
}

export const normalizeColumnName = (name: string): string => name.trim().toLowerCase().replace(/[\s-]+/g, '_');

export function mapHeader<K extends string>(header: string[], specs: ColumnSpec<K>[], what: string): HeaderMap<K> {
  const index: Partial<Record<K, number>> = {};
  const ignored: string[] = [];
  header.forEach((raw, i) => {
    const name = normalizeColumnName(raw);
    const spec = specs.find((s) => s.key === name || s.aliases?.includes(name));
    if (!spec) {
      if (raw.trim()) ignored.push(raw.trim());
      return;
    }
    if (index[spec.key] !== undefined) {
      throw new RapportError('validation', `the ${what} file has the column ${spec.key} twice (columns ${index[spec.key]! + 1} and ${i + 1})`, {
        reason: 'duplicate_column',
        column: spec.key,
      });
    }
    index[spec.key] = i;
  });
  const missing = specs.filter((s) => s.required && index[s.key] === undefined).map((s) => s.key);
  if (missing.length > 0) {
    const hint = header.length === 1 && /[;\t|]/.test(header[0] ?? '') ? ' (the file seems to use another delimiter: columns must be separated by commas)' : '';
    throw new RapportError(
      'validation',
      `the ${what} file has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''}${hint}; its header is: ${truncate(header.join(', '), 200)}`,
      { reason: 'missing_columns', missing, header },
    );
  }
  return { index, ignored };
}

/** The trimmed value of a column in a row ('' when the column is absent or the row is short). */
export function field<K extends string>(map: HeaderMap<K>, fields: string[], key: K): string {
  const i = map.index[key];
  return i === undefined ? '' : (fields[i] ?? '').trim();
}

/** A multi-valued cell: values separated by `;` (commas would clash with the CSV delimiter). */
export const splitValues = (cell: string): string[] =>
  cell
    .split(';')
    .map((v) => v.trim())
    .filter(Boolean);

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
