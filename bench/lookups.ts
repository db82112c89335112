// `/crm lookup` load for the slack and scale benchmarks: the generated customers' emails and names
// (see generate-crm-data.ts), a really signed slash command over loopback HTTP, the same lookup and
// card queries run bare on the database, and latency percentiles of sequential or concurrent runs.
import http from 'node:http';
import { signSlackRequest } from '../adapters/slack/verify-signature.js';
import { customerCard } from '../src/store/customer-card.js';
import { lookupCustomers } from '../src/store/customer-lookup.js';
import type { Db } from '../src/store/database.js';

export const lookupSigningSecret = 'bench-signing-secret-000';

const surnames = ['Zhang', 'Li', 'Wang', 'Smith', 'Garcia', 'Chen', 'Liu', 'Brown'];

/** Queries for the i-th lookup: spread over all customers (a prime stride), by email or by name. */
export function lookupQueries(customers: number): { email: (i: number) => string; name: (i: number) => string } {
  const customerNo = (i: number) => 1 + ((i * 7919) % customers);
  const companies = Math.max(1, Math.floor(customers / 5));
  return {
    email: (i) => `person${customerNo(i)}@company${1 + (customerNo(i) % companies)}.example`,
    name: (i) => `${surnames[customerNo(i) % 8]} ${customerNo(i)}`,
  };
}

/** A signed `/crm lookup QUERY` to the instance at `baseUrl`; throws unless it answers with a card. */
export async function signedLookup(baseUrl: string, responseUrl: string, query: string, i: number): Promise<void> {
  const body = new URLSearchParams({
    team_id: 'T0BENCH', channel_id: 'C0BENCH', user_id: 'U0BENCH', user_name: 'bench', command: '/crm',
    text: `lookup ${query}`, response_url: responseUrl, trigger_id: `t${i}`,
  }).toString();
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await call(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlackRequest(lookupSigningSecret, ts, body) },
    body,
  });
  if (res.status !== 200 || !res.text.includes('orders')) throw new Error(`bench: unexpected answer ${res.status} ${res.text.slice(0, 200)}`);
}

// node:http on kept-alive connections: the lightest client Node has, so the time measured is the
// service's. (fetch builds web streams and their promises for every call, several times the
// garbage of the request it sends, and its collector's pauses would count as answer time.)
const agent = new http.Agent({ keepAlive: true });

/** One HTTP request; the status and the body as text. */
export function call(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent }, (res) => {
      res.setEncoding('utf8');
      let text = '';
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The lookup and card queries a `/crm lookup` runs, bare on the database. */
export async function bareLookup(db: Db, query: string): Promise<void> {
  const found = await lookupCustomers(db, query, { limit: 10, defaultRegion: 'US' });
  if (found.matches.length !== 1) throw new Error(`bench: lookup of ${query} found ${found.matches.length}`);
  await customerCard(db, found.matches[0]!.id);
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Latency {
  median: number;
  p99: number;
  /** Completed calls per second over the measured part. */
  perSecond: number;
}

/**
 * `n` calls of `fn` by `concurrency` callers at once (1: one after another), after a warm-up of
 * up to 20 calls; wall time per call.
 */
export async function measureLatency(n: number, fn: (i: number) => Promise<void>, concurrency = 1): Promise<Latency> {
  for (let i = 0; i < Math.min(20, n); i++) await fn(i);
  const times: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const t = performance.now();
        await fn(i + 1000);
        times.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p99: percentile(times, 99), perSecond: n / seconds };
}
