// Connection failures name their cause. The refused port, the missing database and the unknown
// user are also reproduced against the real server (test/store/connection-errors.test.ts); a wrong
// password and a server that insists on TLS cannot be on the local server (trust authentication,
// no TLS), so they are read here from PostgreSQL's own error codes and messages.
import { describe, expect, it } from 'vitest';
import { connectionError } from '../../../src/store/connection-errors.js';

const url = 'postgres://app:***@db.example.com:6543/rapport';
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' });
const drizzle = (cause: unknown) => Object.assign(new Error('Failed query: CREATE SCHEMA IF NOT EXISTS "drizzle"\nparams: '), { cause });

describe('connection errors', () => {
  it.each([
    [drizzle(pgError('28P01', 'password authentication failed for user "app"')), 'auth_failed', /refused the password of user "app" on db\.example\.com:6543/],
    [drizzle(pgError('3D000', 'database "rapport" does not exist')), 'database_missing', /database "rapport" does not exist .*createdb rapport/],
    [drizzle(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6543'), { code: 'ECONNREFUSED' })), 'refused', /db\.example\.com:6543 \(connection refused\)/],
    [
      drizzle(pgError('28000', 'no pg_hba.conf entry for host "10.0.0.2", user "app", database "rapport", no encryption')),
      'tls_required',
      /requires TLS — add \?sslmode=require/,
    ],
    [drizzle(pgError('28000', 'role "app" does not exist')), 'role_missing', /no user "app"/],
    [drizzle(new Error('The server does not support SSL connections')), 'tls_unsupported', /does not offer TLS/],
    [drizzle(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })), 'tls_untrusted', /sslrootcert=/],
    [
      drizzle(new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:6543'), { code: 'ECONNREFUSED' })], 'connect failed')),
      'refused',
      /connection refused/,
    ],
  ])('names the cause (case %#)', (error, reason, message) => {
    const mapped = connectionError(error, url);
    expect(mapped).toMatchObject({ code: 'unavailable', details: { reason } });
    expect(mapped!.message).toMatch(message);
    expect(mapped!.message).toContain(url);
    expect(mapped!.message).not.toContain('\n');
  });

  it('leaves other failures alone', () => {
    expect(connectionError(drizzle(pgError('23505', 'duplicate key value')), url)).toBeNull();
    expect(connectionError(new Error('boom'), url)).toBeNull();
  });
});
