// Logs carry no personal data (issue 11). The service runs at the most verbose level, with request
// logging on, through everything that touches a person: capture by webhook (JSON and raw mail),
// Slack commands, API writes, a search, API errors (a value the database refuses included), and a
// database outage. Every one of them carries planted markers: a unique name, email, phone number,
// subject word and body word. Afterwards no log line may hold any of them.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelsOf } from '../../src/channels/index.js';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { build, type App } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { createToken } from '../../src/store/tokens-repo.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../helpers/database.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';
import { slackTestEnv } from '../helpers/slack-app.js';
import { slashCommand } from '../helpers/slack-requests.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { signedPost } from '../webhook/signed-post.js';

const marker = {
  name: 'Quillfeather Zyxwort',
  email: 'zyx.quill.7731@markers-example.org',
  phone: '13977310042',
  subject: 'Plumbrickety',
  body: 'Snorklewhistle',
};
/** Every form a marker could take in a log: as given, lower-cased, URL-encoded, the name's parts. */
const needles = [
  ...Object.values(marker),
  ...Object.values(marker).map((m) => m.toLowerCase()),
  encodeURIComponent(marker.email),
  marker.name.split(' ')[0]!,
  marker.name.split(' ')[1]!,
  // The phone as people write it (short pieces would match timings: "responseTime":1.49…0042).
  '139 7731 0042',
  '139-7731-0042',
];

const secret = 'whsec_log_privacy_secret_001';
const relaySecret = 'whsec_log_privacy_relay_0001';
const lines: string[] = [];
let database: TestDatabase;
let proxy: TcpProxy | undefined;
let viaProxy: Database | undefined;
let ctx: AppContext;
let app: App;
let standIn: SlackStandIn;
let writeToken: string;

beforeAll(async () => {
  standIn = await SlackStandIn.start();
  database = await createTestDatabase();
  // On PostgreSQL the service connects through a proxy whose wire the outage cuts; PGlite runs in
  // the process, and its outage is the embedded instance going away.
  if (testDbKind === 'postgres') {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(database.url!).port || 5432) });
    viaProxy = await openDatabase({ databaseUrl: proxy.via(database.url!), poolSize: 5 });
  }
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const config = loadConfig({
    ...slackTestEnv(standIn),
    RAPPORT_JOBS: 'off',
    RAPPORT_WEBHOOK_SOURCES: `desk:generic:${secret},relay:raw-email:${relaySecret}`,
  });
  ctx = await createContext(config, createLogger('trace', sink), viaProxy ?? database);
  app = await build({ ctx, logRequests: true });
  writeToken = (await createToken(database.db, { name: 'log privacy', scope: 'admin' })).token;
});

afterAll(async () => {
  await app?.close();
  await ctx?.close().catch(() => {});
  await proxy?.stop();
  await database?.close();
  await standIn?.close();
});

const captured = () => channelsOf(ctx).worker.drain();
const api = (method: 'GET' | 'POST', url: string, body?: unknown) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${writeToken}` }, ...(body === undefined ? {} : { payload: body as object }) });

function leaks(): string[] {
  return lines.filter((l) => needles.some((n) => l.includes(n)));
}

describe(`logs at trace level hold no planted personal data (${testDbKind})`, () => {
  it('through capture by webhook, JSON and raw mail', async () => {
    const json = JSON.stringify({
      id: 'log-1',
      from: { email: marker.email, name: marker.name, phone: `+86 ${marker.phone}` },
      subject: `${marker.subject} order`,
      text: `Hello, ${marker.body} is broken. Call me on ${marker.phone}. ${marker.name}`,
    });
    expect((await signedPost(app, { source: 'desk', secret, body: json })).statusCode).toBe(202);
    const raw = [
      `From: ${marker.name} <${marker.email}>`,
      'To: support@ourco.com',
      `Subject: ${marker.subject} again`,
      'Date: Tue, 24 Nov 2026 09:15:00 +0800',
      'Message-ID: <log-privacy-1@markers-example.org>',
      '',
      `${marker.body} still broken, ${marker.phone}`,
      '',
    ].join('\r\n');
    expect((await signedPost(app, { source: 'relay', secret: relaySecret, body: raw, contentType: 'message/rfc822' })).statusCode).toBe(202);
    // Refused deliveries: a bad field and a bad signature.
    const bad = JSON.stringify({ id: 'log-2', from: { email: `${marker.email}@@` }, text: marker.body });
    expect((await signedPost(app, { source: 'desk', secret, body: bad })).statusCode).toBe(400);
    expect((await signedPost(app, { source: 'desk', secret: 'whsec_wrong_secret_0000001', body: json })).statusCode).toBe(401);
    await captured();
    expect(leaks()).toEqual([]);
  });

  it('through the API: a customer written, a search, and errors', async () => {
    const created = await api('POST', '/api/v1/customers', { name: marker.name, emails: [marker.email], phones: [marker.phone], tags: [marker.subject] });
    expect(created.statusCode, created.body).toBe(201);
    const search = await api('GET', `/api/v1/communications/search?q=${marker.body}`);
    expect(search.statusCode, search.body).toBe(200);
    expect((search.json() as { data: unknown[] }).data.length).toBeGreaterThan(0);
    expect((await api('GET', `/api/v1/communications/search?q=${marker.subject}&customer=${encodeURIComponent(marker.email)}`)).statusCode).toBe(200);
    expect((await api('GET', `/api/v1/customers?q=${encodeURIComponent(marker.name)}`)).statusCode).toBe(200);
    // Errors: a NUL byte beside a marker, an email where an id belongs (the database refuses it),
    // a duplicate, an unknown route with the marker in its query.
    expect((await api('GET', `/api/v1/customers?q=${marker.subject}%00`)).statusCode).toBe(400);
    expect((await api('GET', `/api/v1/customers/${encodeURIComponent(marker.email)}`)).statusCode).toBeLessThan(500);
    expect((await api('GET', `/api/v1/orders?customer=${encodeURIComponent(marker.email)}`)).statusCode).toBe(200);
    expect((await api('POST', '/api/v1/customers', { name: marker.name, emails: [marker.email] })).statusCode).toBeLessThan(500);
    expect((await api('GET', `/api/v1/nowhere?email=${encodeURIComponent(marker.email)}`)).statusCode).toBe(404);
    expect(lines.some((l) => l.includes('"url":"/api/v1/communications/search"'))).toBe(true);
    expect(leaks()).toEqual([]);
  });

  it('through Slack commands', async () => {
    for (const text of [`lookup ${marker.email}`, `lookup ${marker.name}`, `lookup ${marker.phone}`, `note ${marker.email} ${marker.body} called back`]) {
      const res = await app.inject(slashCommand(text, { responseUrl: standIn.responseUrl(`log-${text.length}`) }));
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(leaks()).toEqual([]);
  });

  it('through a database outage', async () => {
    if (proxy) await proxy.close();
    else await ctx.database.pglite!.close();
    const body = JSON.stringify({ id: 'log-outage', from: { email: marker.email, name: marker.name }, subject: marker.subject, text: marker.body });
    expect((await signedPost(app, { source: 'desk', secret, body })).statusCode).toBe(503);
    const search = await api('GET', `/api/v1/communications/search?q=${marker.body}`);
    expect(search.statusCode).toBeGreaterThanOrEqual(500);
    expect((await api('POST', '/api/v1/customers', { name: `${marker.name} II`, emails: [`ii.${marker.email}`] })).statusCode).toBeGreaterThanOrEqual(500);
    expect(lines.some((l) => l.includes('database unavailable'))).toBe(true);
    expect(leaks()).toEqual([]);
  });

  it('saw real log output along the way: requests, notes and warnings', () => {
    const levels = new Set(lines.map((l) => (JSON.parse(l) as { level: number }).level));
    expect(levels.has(30)).toBe(true);
    expect(levels.has(40)).toBe(true);
    expect(lines.length).toBeGreaterThan(20);
  });
});
