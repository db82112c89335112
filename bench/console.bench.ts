// Web console server time on PostgreSQL: the customer list (first page and a text search), a
// customer page with 1,000 messages, and a conversation search, each p50/p99 through app.inject
// with a signed-in session, against the bare store query behind it in the same run and database.
// The token API's list and search reads are measured on the same data.
//   npm run bench -- console
// Sizes: RAPPORT_BENCH_CONSOLE_CUSTOMERS (20,000), RAPPORT_BENCH_CONSOLE_COMMUNICATIONS (200,000),
// RAPPORT_BENCH_CONSOLE_REQUESTS (200 per page); the size is 100,000 / 1,000,000.
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { addUser } from '../src/console/users.js';
import { createContext } from '../src/context.js';
import { build, type App } from '../src/http/app.js';
import { createLogger } from '../src/log.js';
import { searchCommunications } from '../src/store/communications-query.js';
import { listConsoleCustomers } from '../src/store/console-customers-query.js';
import { createSession } from '../src/store/console-sessions-repo.js';
import { userByEmail } from '../src/store/console-users-repo.js';
import { customerThreads } from '../src/store/customer-threads.js';
import { createToken } from '../src/store/tokens-repo.js';
import { generateCrmData } from './generate-crm-data.js';
import { measureLatency } from './lookups.js';
import type { Bench, BenchRow, BenchSection } from './run.js';
import { serverDatabase } from './server-database.js';

/** p50/p99 of `n` sequential calls after a warm-up (the lookup benches' measure). */
async function timeIt(n: number, fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const l = await measureLatency(n, async () => {
    await fn();
  });
  return { p50: l.median, p99: l.p99 };
}

async function get(app: App, url: string, headers: Record<string, string>): Promise<void> {
  const res = await app.inject({ method: 'GET', url, headers });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
}

export const bench: Bench = {
  name: 'console',
  async run(): Promise<BenchSection> {
    const sizes = {
      customers: Number(process.env.RAPPORT_BENCH_CONSOLE_CUSTOMERS ?? 20_000),
      communications: Number(process.env.RAPPORT_BENCH_CONSOLE_COMMUNICATIONS ?? 200_000),
      requests: Number(process.env.RAPPORT_BENCH_CONSOLE_REQUESTS ?? 200),
    };
    const server = await serverDatabase('rapport_bench_console');
    if (!server) throw new Error('PostgreSQL is unreachable: the console benchmark runs on the server');
    const rows: BenchRow[] = [];
    try {
      const { database } = server;
      await database.migrate();
      process.stderr.write(`console bench: generating ${sizes.customers} customers, ${sizes.communications} communications…\n`);
      await generateCrmData(database, sizes.customers, sizes.communications, { variedText: true, heavyCustomerMessages: 1000 });
      const ctx = await createContext(loadConfig({ RAPPORT_JOBS: 'off', RAPPORT_TIMEZONE: 'Asia/Shanghai', RAPPORT_RATE_LIMIT_API: '0' }), createLogger('silent'), database);
      const db = database.db;
      await addUser(db, { email: 'bench@example.com', role: 'viewer', password: 'bench password 1' }, { name: 'bench' });
      const session = await createSession(db, (await userByEmail(db, 'bench@example.com'))!.id, 24);
      const cookie = { cookie: `rapport_session=${session.token}` };
      const bearer = { authorization: `Bearer ${(await createToken(db, { name: 'bench', scope: 'read' })).token}` };
      const app = await build({ ctx, logRequests: false });
      const heavy = (await db.execute(sql`select md5('cu1')::uuid as id`)) as unknown as { rows: { id: string }[] };
      const heavyId = heavy.rows[0]!.id;
      const n = sizes.requests;
      try {
        const cases: { name: string; bare: () => Promise<unknown>; page: () => Promise<unknown> }[] = [
          { name: 'customer list, first page', bare: () => listConsoleCustomers(db, {}, { limit: 50 }), page: () => get(app, '/customers', cookie) },
          { name: 'customer list, text search "smith 12"', bare: () => listConsoleCustomers(db, { q: 'smith 12' }, { limit: 50 }), page: () => get(app, `/customers?q=${encodeURIComponent('smith 12')}`, cookie) },
          { name: 'customer list, search "李 3"', bare: () => listConsoleCustomers(db, { q: 'li 3' }, { limit: 50 }), page: () => get(app, `/customers?q=${encodeURIComponent('li 3')}`, cookie) },
          { name: 'customer page, 1,000 messages', bare: () => customerThreads(db, heavyId, { limit: 25 }), page: () => get(app, `/customers/${heavyId}`, cookie) },
          { name: 'search "refund"', bare: () => searchCommunications(db, { q: 'refund' }, { limit: 30 }), page: () => get(app, '/search?q=refund', cookie) },
          { name: 'search "发货"', bare: () => searchCommunications(db, { q: '发货' }, { limit: 30 }), page: () => get(app, `/search?q=${encodeURIComponent('发货')}`, cookie) },
        ];
        for (const c of cases) {
          process.stderr.write(`console bench: ${c.name}\n`);
          const bare = await timeIt(n, c.bare);
          const page = await timeIt(n, c.page);
          rows.push({ name: `${c.name}: bare store query`, values: { 'p50 ms': bare.p50, 'p99 ms': bare.p99 }, ratio: null });
          rows.push({ name: `${c.name}: page (server time)`, values: { 'p50 ms': page.p50, 'p99 ms': page.p99 }, ratio: bare.p99 / page.p99, note: page.p99 <= 100 ? 'p99 ≤ 100 ms' : 'p99 over 100 ms' });
        }
        const api: [string, string][] = [
          ['API GET /customers', '/api/v1/customers'],
          ['API GET /customers?q=c1234', '/api/v1/customers?q=person1234'],
          ['API GET /communications/search?q=refund', '/api/v1/communications/search?q=refund'],
          ['API GET /communications/search?q=退款', `/api/v1/communications/search?q=${encodeURIComponent('退款')}`],
        ];
        const readyz = await timeIt(n, () => get(app, '/readyz', {}));
        rows.push({ name: 'API baseline: GET /readyz (select 1)', values: { 'p50 ms': readyz.p50, 'p99 ms': readyz.p99 }, ratio: null });
        for (const [name, url] of api) {
          process.stderr.write(`console bench: ${name}\n`);
          const m = await timeIt(n, () => get(app, url, bearer));
          rows.push({ name, values: { 'p50 ms': m.p50, 'p99 ms': m.p99 }, ratio: readyz.p50 / m.p50 });
        }
      } finally {
        await app.close();
      }
    } finally {
      await server.drop();
    }
    return {
      title: `Web console: ${sizes.customers.toLocaleString('en-US')} customers, ${sizes.communications.toLocaleString('en-US')} communications (PostgreSQL)`,
      about: `Server time of console pages through \`app.inject\` with a signed-in session, ${sizes.requests} sequential requests each after a warm-up, on generated data (40 English and Chinese sentences, so a word matches a few percent of messages) plus one customer with 1,000 messages in 100 threads of email and Slack. Each page is measured against the bare store query behind it (the ratio is bare p99 ÷ page p99: what rendering, session and the page's other queries add). The token API's list and search reads run on the same data against GET /readyz (its rate limit off: \`RAPPORT_RATE_LIMIT_API=0\`). Env: \`RAPPORT_BENCH_CONSOLE_CUSTOMERS\`, \`RAPPORT_BENCH_CONSOLE_COMMUNICATIONS\`, \`RAPPORT_BENCH_CONSOLE_REQUESTS\`; the goal is p99 ≤ 100 ms per page at 100,000 / 1,000,000.`,
      baseline: 'the bare store query of each page (and GET /readyz for the API rows), same run and database',
      columns: ['p50 ms', 'p99 ms'],
      rows,
    };
  },
};

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const s = await bench.run();
  for (const r of s.rows) console.log(r.name, r.values, r.ratio);
}
