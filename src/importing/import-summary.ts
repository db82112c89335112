// What an import did, for people (formatSummary) and for scripts (the object itself, with --json).
import type { RejectedRow } from './row-rejection.js';

export interface RowWarning {
  line: number;
  message: string;
}

export interface ImportSummary {
  kind: 'customers' | 'orders';
  file: string;
  encoding: string;
  /** Data rows read (header excluded). */
  rows: number;
  created: number;
  updated: number;
  rejected: number;
  /** Rows imported with a caveat, e.g. a free-mail domain not used as a company domain. */
  warnings: number;
  /** Characters the forced --encoding could not read, stored as U+FFFD. */
  replacedCharacters: number;
  /** Header columns that are not part of the format, ignored. */
  ignoredColumns: string[];
  durationMs: number;
  rowsPerSecond: number;
  rejectedRows: RejectedRow[];
  warningRows: RowWarning[];
}

export function emptySummary(kind: ImportSummary['kind'], file: string): ImportSummary {
  return {
    kind,
    file,
    encoding: 'utf-8',
    rows: 0,
    created: 0,
    updated: 0,
    rejected: 0,
    warnings: 0,
    replacedCharacters: 0,
    ignoredColumns: [],
    durationMs: 0,
    rowsPerSecond: 0,
    rejectedRows: [],
    warningRows: [],
  };
}

/** Stamps duration and throughput (rows read per second, from opening the file). */
export function finishSummary(summary: ImportSummary, started: number): ImportSummary {
  summary.durationMs = Math.round(performance.now() - started);
  summary.rowsPerSecond = summary.durationMs > 0 ? Math.round((summary.rows * 1000) / summary.durationMs) : summary.rows;
  return summary;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** The human summary; lists the first `limit` rejected rows and warnings (--json has them all). */
export function formatSummary(s: ImportSummary, limit = 20): string {
  const lines = [
    `${s.kind} from ${s.file}: ${fmt(s.created)} created, ${fmt(s.updated)} updated, ${fmt(s.rejected)} rejected` +
      `${s.warnings ? `, ${fmt(s.warnings)} with warnings` : ''} (${fmt(s.rows)} rows in ${(s.durationMs / 1000).toFixed(1)} s)`,
  ];
  if (s.replacedCharacters > 0) {
    lines.push(`warning: ${fmt(s.replacedCharacters)} characters are not valid ${s.encoding} and were imported as "\uFFFD" (is --encoding right?)`);
  }
  if (s.ignoredColumns.length > 0) lines.push(`ignored columns: ${s.ignoredColumns.join(', ')}`);
  const list = (title: string, items: { line: number; text: string }[]) => {
    if (items.length === 0) return;
    lines.push(`${title}:`);
    for (const i of items.slice(0, limit)) lines.push(`  line ${i.line}: ${i.text}`);
    if (items.length > limit) lines.push(`  … and ${fmt(items.length - limit)} more (--json lists them all)`);
  };
  list('rejected', s.rejectedRows.map((r) => ({ line: r.line, text: r.reason })));
  list('warnings', s.warningRows.map((w) => ({ line: w.line, text: w.message })));
  return lines.join('\n');
}
