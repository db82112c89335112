// A PostgreSQL server that cannot be used at start says why, in one line: drizzle wraps every
// failure as "Failed query: CREATE SCHEMA IF NOT EXISTS "drizzle"", whatever the cause. The cause
// (a PostgreSQL SQLSTATE or a Node network error code) is read here and named, with the URL
// (password hidden) and what to do.
import { RapportError } from '../core/errors.js';

export type ConnectionProblem =
  | 'refused'
  | 'host_unknown'
  | 'timeout'
  | 'database_missing'
  | 'auth_failed'
  | 'role_missing'
  | 'tls_required'
  | 'tls_unsupported'
  | 'tls_untrusted'
  | 'not_permitted'
  | 'server_busy';

interface Cause {
  code?: string;
  message: string;
}

/** The innermost errors under `e` (drizzle's `cause`, an AggregateError's `errors` for several addresses). */
function causesOf(e: unknown): Cause[] {
  const out: Cause[] = [];
  const walk = (x: unknown, depth: number) => {
    if (!x || typeof x !== 'object' || depth > 5) return;
    const err = x as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    out.push({ code: typeof err.code === 'string' ? err.code : undefined, message: typeof err.message === 'string' ? err.message : '' });
    if (Array.isArray(err.errors)) for (const inner of err.errors) walk(inner, depth + 1);
    walk(err.cause, depth + 1);
  };
  walk(e, 0);
  return out;
}

function problemOf(c: Cause): ConnectionProblem | null {
  switch (c.code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host_unknown';
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'timeout';
    case '3D000':
      return 'database_missing';
    case '28P01':
      return 'auth_failed';
    case '28000':
      // pg_hba refusing a connection without TLS names it; otherwise the role is unknown.
      if (/no pg_hba\.conf entry.*(no encryption|SSL off)/i.test(c.message)) return 'tls_required';
      return /role .* does not exist/i.test(c.message) ? 'role_missing' : 'not_permitted';
    case '42501':
      return 'not_permitted';
    case '53300':
    case '57P03':
      return 'server_busy';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'CERT_HAS_EXPIRED':
      return 'tls_untrusted';
  }
  if (/server does not support SSL/i.test(c.message)) return 'tls_unsupported';
  if (/timeout/i.test(c.message) && /connect/i.test(c.message)) return 'timeout';
  return null;
}

function hostOf(url: string): { host: string; port: string; database: string; user: string } {
  try {
    const u = new URL(url);
    return { host: u.hostname || 'localhost', port: u.port || '5432', database: decodeURIComponent(u.pathname.slice(1)) || u.username || 'postgres', user: decodeURIComponent(u.username) || 'the OS user' };
  } catch {
    return { host: '?', port: '?', database: '?', user: '?' };
  }
}

function sentence(problem: ConnectionProblem, url: string, raw: string): string {
  const { host, port, database, user } = hostOf(url);
  switch (problem) {
    case 'refused':
      return `cannot connect to PostgreSQL at ${host}:${port} (connection refused) — is the server running and listening there? (DATABASE_URL ${url})`;
    case 'host_unknown':
      return `cannot connect to PostgreSQL: host "${host}" is unknown — check the host name in DATABASE_URL ${url}`;
    case 'timeout':
      return `cannot connect to PostgreSQL at ${host}:${port}: no answer in time — check the address and any firewall (DATABASE_URL ${url})`;
    case 'database_missing':
      return `database "${database}" does not exist on ${host}:${port} — create it (createdb ${database}, or CREATE DATABASE "${database}") or fix the name in DATABASE_URL ${url}`;
    case 'auth_failed':
      return `PostgreSQL refused the password of user "${user}" on ${host}:${port} — check the user and password in DATABASE_URL ${url}`;
    case 'role_missing':
      return `PostgreSQL has no user "${user}" on ${host}:${port} — create it (CREATE ROLE "${user}" LOGIN PASSWORD '…') or fix the user in DATABASE_URL ${url}`;
    case 'tls_required':
      return `PostgreSQL at ${host}:${port} requires TLS — add ?sslmode=require (or verify-full with sslrootcert=…) to DATABASE_URL ${url}`;
    case 'tls_unsupported':
      return `PostgreSQL at ${host}:${port} does not offer TLS but DATABASE_URL asks for it — remove sslmode or use sslmode=disable on a trusted network (DATABASE_URL ${url})`;
    case 'tls_untrusted':
      return `the TLS certificate of PostgreSQL at ${host}:${port} is not trusted (${raw}) — give its CA with sslrootcert=/path/ca.pem in DATABASE_URL ${url}`;
    case 'not_permitted':
      return `PostgreSQL at ${host}:${port} does not let user "${user}" in or create the schema (${raw}) — grant it CONNECT and CREATE on database "${database}" (DATABASE_URL ${url})`;
    case 'server_busy':
      return `PostgreSQL at ${host}:${port} cannot take a connection now (${raw}) — retry shortly (DATABASE_URL ${url})`;
  }
}

/**
 * The one-line reason `e` (a failure to reach or use the server) stands for, as an `unavailable`
 * RapportError with `details.reason`; null when `e` is something else (a real query error).
 * `redactedUrl` is shown as is: give it without the password.
 */
export function connectionError(e: unknown, redactedUrl: string): RapportError | null {
  for (const c of causesOf(e)) {
    const problem = problemOf(c);
    if (problem) return new RapportError('unavailable', sentence(problem, redactedUrl, c.message), { reason: problem }, { cause: e });
  }
  return null;
}
