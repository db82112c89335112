// Every error leaves the API as { error: { code, message, details } } with a stable code.
import type { FastifyError } from 'fastify';
import type { App } from './types.js';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { RapportError, type ErrorCode } from '../core/errors.js';

export const statusByCode: Record<ErrorCode, number> = {
  validation: 400,
  bad_signature: 401,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** True for errors that mean "the database is not answering" (connection refused, reset, closed). */
export function isDatabaseUnavailable(e: unknown): boolean {
  const err = e as { code?: string; message?: string; cause?: unknown } | undefined;
  if (!err) return false;
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003'].includes(err.code ?? '')) return true;
  if (/Connection terminated|connect ECONNREFUSED|PGlite is closed|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(err.message ?? '')) return true;
  return err.cause !== undefined && err.cause !== e && isDatabaseUnavailable(err.cause);
}

/** PostgreSQL unique_violation (23505), possibly wrapped by Drizzle as the cause. */
export function isUniqueViolation(e: unknown, depth = 0): boolean {
  const err = e as { code?: string; cause?: unknown } | undefined;
  if (!err || depth > 3) return false;
  return err.code === '23505' || (err.cause !== undefined && err.cause !== e && isUniqueViolation(err.cause, depth + 1));
}

export function installErrorHandling(app: App): void {
  app.setErrorHandler((error: FastifyError | RapportError | Error, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields = error.validation.map((v) => ({
        field: [error.validationContext, ...String(v.instancePath ?? '').split('/').filter(Boolean)].join('.'),
        message: v.message,
      }));
      return reply.status(400).send(errorBody('validation', 'the request is invalid', { fields }));
    }
    if (error instanceof RapportError) {
      return reply.status(statusByCode[error.code]).send(errorBody(error.code, error.message, error.details));
    }
    const fe = error as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(errorBody('payload_too_large', 'the request body is larger than allowed'));
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send(errorBody('unsupported', 'unsupported content type'));
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (fe.statusCode === 400 && !fe.code?.startsWith('FST_ERR_VALIDATION'))) {
      return reply.status(400).send(errorBody('validation', 'the request body is not valid JSON'));
    }
    if (fe.validation) {
      return reply.status(400).send(errorBody('validation', fe.message, { fields: fe.validation }));
    }
    if (isUniqueViolation(error)) {
      // A concurrent request took the same unique value between our check and our insert.
      return reply.status(409).send(errorBody('conflict', 'conflicts with a record written at the same time; retry'));
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: { message: error.message } }, 'database unavailable');
      return reply.status(503).header('retry-after', '5').send(errorBody('unavailable', 'the database is unavailable; retry later'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(errorBody('internal', 'internal error'));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
}
