// Why a row was not imported: a stable code for scripts and a reason for people. A rejected row
// never stops the import and never leaves anything written.
import { isRapportError, type FieldIssue } from '../core/errors.js';

export const rejectionCodes = [
  'missing_name',
  'invalid_email',
  'unparseable_phone',
  'invalid_domain',
  'domains_without_company',
  'invalid_external_id',
  'identity_conflict',
  'missing_value',
  'unknown_customer',
  'invalid_amount',
  'invalid_currency',
  'invalid_date',
  'field_count',
  'rejected_by_database',
] as const;

export type RejectionCode = (typeof rejectionCodes)[number];

export interface RejectedRow {
  line: number;
  /** The first problem's code; `reason` lists every problem of the row. */
  code: RejectionCode;
  reason: string;
}

export class RowRejected extends Error {
  constructor(
    readonly code: RejectionCode,
    reason: string,
  ) {
    super(reason);
  }
}

const codeByField: Record<string, RejectionCode> = {
  name: 'missing_name',
  emails: 'invalid_email',
  phones: 'unparseable_phone',
  domains: 'invalid_domain',
  company: 'domains_without_company',
  externalId: 'invalid_external_id',
};

/** A `validation` error listing field issues (normalizeCustomer's) as one rejection. */
export function rejectionFromFieldIssues(issues: FieldIssue[], message: string): RowRejected {
  const first = issues[0];
  return new RowRejected((first && codeByField[first.field]) ?? 'missing_value', message);
}

/** SQLSTATE classes that are about the row's data (22: data exception, 23: integrity), not the server. */
const isRowDataError = (e: unknown) => /^2[23]/.test(String((e as { code?: unknown })?.code ?? ''));

/**
 * What a failed row write means: a rejection of that row, or null when the error is not the row's
 * fault (the database went away…) and the import must stop.
 */
export function rejectionFor(e: unknown): RowRejected | null {
  if (e instanceof RowRejected) return e;
  if (isRapportError(e, 'conflict')) return new RowRejected('identity_conflict', e.message);
  if (isRapportError(e, 'validation')) {
    const fields = (e.details?.fields ?? []) as FieldIssue[];
    return rejectionFromFieldIssues(fields, e.message);
  }
  const cause = (e as { cause?: unknown })?.cause;
  if (isRowDataError(e) || isRowDataError(cause)) {
    return new RowRejected('rejected_by_database', (cause as Error | undefined)?.message ?? (e as Error).message);
  }
  return null;
}
