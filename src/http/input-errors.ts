// Validation errors raised below the HTTP layer name fields as the input had them ("emails");
// the API reports them as the zod-validated ones are ("body.emails"), so clients see one style.
import { isRapportError, validationError, type FieldIssue } from '../core/errors.js';

function prefixed(e: unknown, context: string): unknown {
  if (isRapportError(e, 'validation') && Array.isArray(e.details?.fields)) {
    return validationError(
      e.message,
      (e.details.fields as FieldIssue[]).map((f) => ({ ...f, field: `${context}.${f.field}` })),
    );
  }
  return e;
}

export function inBody<T>(fn: () => T, context = 'body'): T {
  try {
    return fn();
  } catch (e) {
    throw prefixed(e, context);
  }
}

export async function inBodyAsync<T>(fn: () => Promise<T>, context = 'body'): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw prefixed(e, context);
  }
}
