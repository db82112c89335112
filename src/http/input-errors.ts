// Validation errors raised below the HTTP layer name fields as the input had them ("emails");
// the API reports them as the zod-validated ones are ("body.emails"), so clients see one style.
import { isRapportError, validationError, type FieldIssue } from '../core/errors.js';
import type { App } from './types.js';

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

/** Where in a request a NUL byte sits ("querystring.q", "body.notes.0"), or null. */
function nulPath(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (!value || typeof value !== 'object' || depth > 32) return null;
  for (const [k, v] of Object.entries(value)) {
    const found = nulPath(v, `${path}.${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * A NUL byte in an id, a search term or a field can be neither stored nor searched for (PostgreSQL
 * refuses it): such a request is a 400 naming the field, before any route runs.
 */
export function refuseNulBytes(app: App): void {
  app.addHook('preValidation', async (request) => {
    const field = nulPath(request.params, 'params') ?? nulPath(request.query, 'querystring') ?? nulPath(request.body, 'body');
    if (field) throw validationError('the request holds a NUL byte', [{ field, message: 'contains a NUL byte' }]);
  });
}
