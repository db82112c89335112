import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { safeError, safeRequest } from '../../src/log-serializers.js';

// The shapes Drizzle and the PostgreSQL drivers throw: a query error with the parameters in its
// message and fields, caused by a server error that quotes the refused value.
function drizzleError(): Error {
  const cause = Object.assign(new Error('invalid input syntax for type uuid: "ann.secret@example.org"'), {
    name: 'error', code: '22P02', severity: 'ERROR', detail: 'Key (email)=(ann.secret@example.org)', table: 'customers', routine: 'string_to_uuid',
  });
  const query = 'select "id" from "customers" where "id" = $1';
  const params = ['ann.secret@example.org'];
  return Object.assign(new Error(`Failed query: ${query}\nparams: ${params.join(',')}`, { cause }), { name: 'DrizzleQueryError', query, params });
}

describe('safeError', () => {
  it('keeps the statement with its placeholders and the SQLSTATE, and no parameter anywhere', () => {
    const logged = safeError(drizzleError());
    expect(logged.type).toBe('DrizzleQueryError');
    expect(logged.message).toBe('Failed query: select "id" from "customers" where "id" = $1');
    expect(logged.cause).toMatchObject({ type: 'error', code: '22P02', table: 'customers', message: 'invalid input syntax for type uuid: "…"' });
    expect(logged.stack).toMatch(/^DrizzleQueryError: Failed query: .*\n\s+at /);
    expect(JSON.stringify(logged)).not.toContain('ann.secret');
  });

  it('keeps an ordinary error as it is, stack frames included', () => {
    const logged = safeError(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(logged).toMatchObject({ type: 'TypeError', message: "Cannot read properties of undefined (reading 'x')" });
    expect(logged.stack).toContain('at ');
  });

  it('says nothing of a thrown non-error value', () => {
    expect(safeError('ann.secret@example.org')).toEqual({ type: 'string', message: 'a non-error value was thrown' });
  });
});

describe('safeRequest', () => {
  it('logs the route, not the path it was called with nor the query string', () => {
    expect(safeRequest({ method: 'GET', url: '/api/v1/communications/search?q=refund&customer=ann%40example.org', routeOptions: { url: '/api/v1/communications/search' } })).toEqual({ method: 'GET', url: '/api/v1/communications/search' });
    expect(safeRequest({ method: 'GET', url: '/api/v1/customers/ann%40example.org', routeOptions: { url: '/api/v1/customers/:id' } })).toEqual({ method: 'GET', url: '/api/v1/customers/:id' });
  });

  it('keeps the first two segments of a path no route matched', () => {
    expect(safeRequest({ method: 'GET', url: '/api/v1/ann%40example.org/x?q=1' })).toEqual({ method: 'GET', url: '/api/v1/…/…' });
  });
});

describe('createLogger', () => {
  it('writes errors and requests through the safe serializers at every level', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const log = createLogger('trace', sink);
    log.error({ err: drizzleError() }, 'failed');
    log.trace({ req: { method: 'GET', url: '/x?q=ann.secret' } }, 'request');
    log.warn(drizzleError());
    expect(lines).toHaveLength(3);
    expect(lines.join('')).not.toContain('ann.secret');
  });
});
