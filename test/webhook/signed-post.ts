// Helpers for webhook tests: build an app on a test database, and POST a really signed body.
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { signatureHeaderValue } from '../../adapters/webhook/signature.js';
import type { App } from '../../src/http/app.js';
import type { Db } from '../../src/store/database.js';

export interface SignedPost {
  source: string;
  secret: string | string[];
  body: string | Buffer;
  contentType?: string;
  /** Unix seconds of the signature (default: now). */
  timestamp?: number;
  idempotencyKey?: string;
  /** Replaces the computed signature header (or removes it with null). */
  signature?: string | null;
}

export function signedPost(app: App, p: SignedPost): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { 'content-type': p.contentType ?? 'application/json' };
  const signature = p.signature === undefined ? signatureHeaderValue(p.secret, p.body, p.timestamp) : p.signature;
  if (signature !== null) headers['x-rapport-signature'] = signature;
  if (p.idempotencyKey !== undefined) headers['idempotency-key'] = p.idempotencyKey;
  return app.inject({ method: 'POST', url: `/webhooks/${p.source}`, headers, payload: p.body });
}

export async function countRows(db: Db, table: 'communications' | 'threads' | 'customers', where = sql`true`): Promise<number> {
  const r = (await db.execute(sql`select count(*) as n from ${sql.identifier(table)} where ${where}`)) as { rows: { n: unknown }[] };
  return Number(r.rows[0]!.n);
}
