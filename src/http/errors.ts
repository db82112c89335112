// Every error leaves the API as { error: { code, message, details } } with a stable code.
import type { FastifyError } from 'fastify';
import type { App } from './types.js';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { RapportError, type ErrorCode } from '../core/errors.js';
import { isDataException, isDatabaseUnavailable, isUniqueViolation } from '../store/database-errors.js';

export { isDatabaseUnavailable, isUniqueViolation };

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
    if (isDataException(error)) {
      // A value the database cannot take got past validation: the request is at fault, and sending
      // it again would fail again. Logged by its SQLSTATE only.
      request.log.warn({ err: error }, 'value refused by the database');
      return reply.status(400).send(errorBody('validation', 'the request holds a value that cannot be stored or searched (a NUL byte, a malformed id, a date out of range or an over-long value)'));
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return reply.status(503).header('retry-after', '5').send(errorBody('unavailable', 'the database is unavailable; retry later'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(errorBody('internal', 'internal error'));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
}
