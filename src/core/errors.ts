// Typed errors with a stable `code`. Layers above map codes to HTTP statuses or exit codes;
// nobody parses messages. "Not found" on a lookup is `null`, not an error.

export const errorCodes = [
  'validation',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'payload_too_large',
  'unavailable',
  'bad_signature',
  'unsupported',
  'rate_limited',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface FieldIssue {
  field: string;
  message: string;
}

export class RapportError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RapportError';
    this.code = code;
    this.details = details;
  }
}

export function validationError(message: string, issues: FieldIssue[]): RapportError {
  return new RapportError('validation', message, { fields: issues });
}

export function notFound(what: string, id: string): RapportError {
  return new RapportError('not_found', `${what} ${id} not found`, { id });
}

export function isRapportError(e: unknown, code?: ErrorCode): e is RapportError {
  return e instanceof RapportError && (code === undefined || e.code === code);
}
