// Three real `rapport serve` processes (the compiled CLI, bin/rapport.js) on one PostgreSQL database
// and one Redis, jobs on, each on a port of its own: every webhook and every mail is captured once
// although deliveries are spread over (and repeated across) the instances, the one mailbox is read
// by one watcher, a due digest and a nightly job's slot run once, and Slack hears at most one
// message a second per channel from the three together.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionIds } from '../../adapters/slack/blocks.js';
import { signatureHeaderValue } from '../../adapters/webhook/signature.js';
import { loadConfig } from '../../src/config.js';
import { normalizeCustomer } from '../../src/core/customers.js';
import { secretBoxFor } from '../../src/secret-key.js';
import { upsertCustomer } from '../../src/store/customers-repo.js';
import { digestSubscriptions } from '../../src/store/schema/index.js';
import { createWebhookSource } from '../../src/store/webhook-sources-repo.js';
import { buildIsCurrent } from '../../scripts/build-state.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.js';
import { plainMessage } from '../helpers/mail-fixtures.js';
import { dropKeys, redisUrl, uniquePrefix, until } from '../helpers/redis.js';
import { slackTestEnv } from '../helpers/slack-app.js';
import { interaction } from '../helpers/slack-requests.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';
import { mailboxEnv } from '../email/email-test-context.js';

const root = join(import.meta.dirname, '../..');
const secretKey = 'test-key-for-sealed-secrets-3';
const source = 'multi';
const webhookSecret = 'whsec_three_instances_000001';
const alertChannel = 'C0PACE';

interface Serve {
  name: string;
  child: ChildProcess;
  url: string;
  /** Everything it logged (one JSON object a line). */
  log(): string;
  exited: Promise<void>;
}

let database: TestDatabase;
let standIn: SlackStandIn;
let dovecot: DovecotServer;
const prefix = uniquePrefix('three');
const serves: Serve[] = [];
let digestSubscription: string;
let shareCustomer: string;
const angry: string[] = [];

const rows = async <T = Record<string, unknown>>(q: ReturnType<typeof sql>): Promise<T[]> => ((await database.db.execute(q)) as unknown as { rows: T[] }).rows;
const count = async (q: ReturnType<typeof sql>): Promise<number> => Number((await rows<{ n: unknown }>(q))[0]!.n);

/** Lines of every instance's log that match, as [instance, parsed line]. */
const logLines = (match: (l: Record<string, unknown>) => boolean) =>
  serves.flatMap((s) =>
    s
      .log()
      .split('\n')
      .flatMap((line) => {
        try {
          const l = JSON.parse(line) as Record<string, unknown>;
          return match(l) ? [[s.name, l] as const] : [];
        } catch {
          return [];
        }
      }),
  );

function startServe(name: string, env: Record<string, string>): Promise<Serve> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.DATABASE_URL;
  delete base.RAPPORT_TEST_DB;
  delete base.RAPPORT_FROM_SOURCE;
  const child = spawn(process.execPath, [join(root, 'bin/rapport.js'), 'serve', '--port', '0', '--host', '127.0.0.1'], {
    cwd: root,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const serve: Omit<Serve, 'url'> = { name, child, log: () => output, exited };
  // Registered before it is ready, so afterAll stops it whatever happens next.
  serves.push(serve as Serve);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} was not listening within 60 s:\n${output.slice(-2000)}`)), 60_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      child.stderr!.off('data', check);
      (serve as Serve).url = m[1]!;
      resolve(serve as Serve);
    };
    child.stderr!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it listened:\n${output.slice(-2000)}`));
    });
  });
}

async function stopServe(s: Serve): Promise<void> {
  if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
  const killer = setTimeout(() => s.child.kill('SIGKILL'), 15_000);
  await s.exited;
  clearTimeout(killer);
}

const postWebhook = (s: Serve, body: Record<string, unknown>) => {
  const raw = JSON.stringify(body);
  return fetch(`${s.url}/webhooks/${source}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-rapport-signature': signatureHeaderValue(webhookSecret, raw) },
    body: raw,
  });
};

/** Runs `fn` over `items` with at most `width` at once. */
async function inParallel<T>(items: T[], width: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

beforeAll(async () => {
  // The compiled build is what users run; bin/rapport.js would fall back to the sources otherwise.
  if (!buildIsCurrent(root)) {
    const r = spawnSync(process.execPath, [join(root, 'scripts/build.js')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error('npm run build failed');
  }
  standIn = await SlackStandIn.start();
  dovecot = await startDovecot();
  database = await createTestDatabase();
  const db = database.db;

  const config = loadConfig({ RAPPORT_SECRET_KEY: secretKey });
  await createWebhookSource(db, { configured: [], box: secretBoxFor(config, database) }, { name: source, preset: 'generic', secret: webhookSecret });
  const customer = (name: string, email: string) =>
    db.transaction((tx) => upsertCustomer(tx, normalizeCustomer({ name, emails: [email] }, { defaultRegion: 'CN' }))).then((c) => c.id);
  for (let i = 0; i < 3; i++) angry.push(await customer(`生气的客户 ${i}`, `angry${i}@kehu${i}.cn`));
  shareCustomer = await customer('Share Card', 'share@card.example');
  // Due since midnight and subscribed two days ago: the digests job sends it at once (late).
  const [sub] = await db
    .insert(digestSubscriptions)
    .values({ targetKind: 'slack', target: alertChannel, at: '00:00', timeZone: 'UTC', createdAt: new Date(Date.now() - 48 * 3_600_000) })
    .returning({ id: digestSubscriptions.id });
  digestSubscription = sub!.id;

  const env = {
    ...mailboxEnv(dovecot),
    ...slackTestEnv(standIn),
    DATABASE_URL: database.url!,
    REDIS_URL: redisUrl,
    RAPPORT_REDIS_PREFIX: prefix,
    // Generous: on a loaded machine a 250 ms command timeout would send an instance to its own pacing now and then.
    RAPPORT_REDIS_TIMEOUT_MS: '3000',
    RAPPORT_SECRET_KEY: secretKey,
    RAPPORT_JOBS: 'on',
    RAPPORT_EMAIL_SYNC: 'on',
    RAPPORT_TIMEZONE: 'UTC',
    RAPPORT_AUTO_CREATE: 'never',
    RAPPORT_ALERT_SLACK_CHANNEL: alertChannel,
    RAPPORT_ALERT_STRONG_NEGATIVE: '-0.5',
    RAPPORT_ANALYSIS_THREADS: '1',
    LOG_LEVEL: 'info',
  };
  await Promise.all(['a', 'b', 'c'].map((name) => startServe(name, env)));
}, 120_000);

afterAll(async () => {
  await Promise.all(serves.map(stopServe));
  await database?.close();
  await dovecot?.close();
  await standIn?.close();
  await dropKeys(prefix);
}, 60_000);

describe('three rapport serve processes on one database and one Redis', () => {
  it('sends a due digest once', async () => {
    const sent = () => rows<{ status: string }>(sql`select status from digest_deliveries where subscription_id = ${digestSubscription}`);
    await until(async () => (await sent()).some((d) => d.status === 'sent'), 30_000, 'the digest');
    // Every scheduler is up (each process listens only after starting its own); the tick that sent it has finished.
    await until(() => logLines((l) => l.job === 'digests' && l.msg === 'job done').length >= 1, 30_000, 'a digests tick');
    expect(await sent()).toEqual([{ status: 'sent' }]);
    const digests = standIn.callsOf('chat.postMessage').filter((c) => c.args.channel === alertChannel && /digest/i.test(String(c.args.text)));
    expect(digests).toHaveLength(1);
  });

  it('captures every webhook exactly once, deliveries spread over the three and some repeated on another', async () => {
    const total = 300;
    const ids = Array.from({ length: total }, (_, i) => `m-${i}`);
    const codes: number[] = [];
    await inParallel(ids, 12, async (id, i) => {
      const body = { id, from: { email: `sender${i}@gmail.com`, name: `Sender ${i}` }, subject: `Order ${i}`, text: `Hello, a question about order ${i}.` };
      codes.push((await postWebhook(serves[i % 3]!, body)).status);
      // Every fifth is delivered again, to the next instance (a sender's retry behind a load balancer).
      if (i % 5 === 0) codes.push((await postWebhook(serves[(i + 1) % 3]!, body)).status);
    });
    expect(codes.filter((c) => c !== 202)).toEqual([]);
    expect(codes).toHaveLength(total + total / 5);

    const captured = () => count(sql`select count(*) as n from communications where external_id like ${`${source}:m-%`}`);
    await until(async () => (await captured()) >= total, 60_000, 'every webhook captured');
    const stored = await rows<{ external_id: string; n: unknown }>(
      sql`select external_id, count(*) as n from communications where external_id like ${`${source}:m-%`} group by external_id`,
    );
    expect(stored.filter((r) => Number(r.n) !== 1)).toEqual([]);
    expect(stored.map((r) => r.external_id).sort()).toEqual(ids.map((id) => `${source}:${id}`).sort());
    expect(await count(sql`select count(*) as n from inbox where external_id like ${`${source}:m-%`}`)).toBe(total);
  }, 90_000);

  it('reads the one mailbox with one watcher and captures each mail once', async () => {
    const total = 30;
    // Every instance reads the mailbox from its environment; one of them watches it.
    await until(() => logLines((l) => l.msg === 'imap connected').length >= 1, 30_000, 'an IMAP connection');
    await dovecot.append('INBOX', Array.from({ length: total }, (_, i) => plainMessage({ id: `three-${i}` })));
    const captured = () => count(sql`select count(*) as n from communications where channel = 'email'`);
    await until(async () => (await captured()) >= total, 60_000, 'every mail captured');
    const stored = await rows<{ external_id: string; n: unknown }>(sql`select external_id, count(*) as n from communications where channel = 'email' group by external_id`);
    expect(stored).toHaveLength(total);
    expect(stored.filter((r) => Number(r.n) !== 1)).toEqual([]);
    expect(await count(sql`select count(*) as n from inbox where channel = 'email'`)).toBe(total);
    const [folder] = await rows<{ messages_seen: number }>(sql`select messages_seen from mailbox_folders where path = 'INBOX'`);
    expect(Number(folder!.messages_seen)).toBe(total);
    // One instance watches; the other two know the mailbox and stand by.
    const watchers = new Set(logLines((l) => l.msg === 'imap connected').map(([name]) => name));
    expect(watchers.size).toBe(1);
    const standing = logLines((l) => l.msg === 'mailbox watched by another instance; standing by').map(([name]) => name);
    expect(standing.sort()).toEqual(serves.map((s) => s.name).filter((n) => !watchers.has(n)));
  }, 90_000);

  it('keeps Slack to one message a second per channel across the three', async () => {
    standIn.reset();
    const responses = serves.flatMap((s, i) => [0, 1].map((n) => ({ serve: s, id: `share-${i}-${n}` })));
    const value = JSON.stringify({ id: shareCustomer, share: true });
    await Promise.all([
      // Alerts: strongly negative messages from known customers, captured by whichever instance drains.
      ...angry.map(async (_, i) => {
        const res = await postWebhook(serves[i]!, { id: `angry-${i}`, from: { email: `angry${i}@kehu${i}.cn` }, text: '太差了，非常失望，垃圾服务，马上退款！' });
        expect(res.status).toBe(202);
      }),
      // "Show in channel" on a customer card, clicked on each instance: answered through response_url, paced with the channel.
      ...responses.map(async ({ serve, id }) => {
        const req = interaction({
          type: 'block_actions',
          team: { id: 'T0OURS' },
          user: { id: 'U0STAFF', team_id: 'T0OURS' },
          channel: { id: alertChannel },
          response_url: standIn.responseUrl(id),
          trigger_id: `t.${id}`,
          actions: [{ type: 'button', action_id: `${actionIds.pickCustomer}:${shareCustomer}`, value, block_id: 'b1', action_ts: '1' }],
        });
        const res = await fetch(`${serve.url}${req.url}`, { method: 'POST', headers: req.headers, body: req.payload });
        expect(res.status).toBe(200);
      }),
    ]);
    const alerts = () => standIn.callsOf('chat.postMessage').filter((c) => c.args.channel === alertChannel);
    await until(() => alerts().length >= angry.length && responses.every((r) => standIn.responsesTo(r.id).length === 1), 45_000, 'every alert and card');
    expect(alerts().map((c) => String(c.args.text))).toEqual(angry.map(() => expect.stringContaining('生气的客户')));
    const ats = [...alerts().map((c) => c.at), ...responses.map((r) => standIn.responsesTo(r.id)[0]!.at)].sort((x, y) => x - y);
    expect(ats).toHaveLength(angry.length + responses.length);
    const gaps = ats.slice(1).map((t, i) => t - ats[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(990);
  }, 90_000);

  it('runs a nightly job once for its slot', async () => {
    const job = () => rows<{ last_finished_at: Date | null; locked_at: Date | null; next_run_at: Date | null }>(
      sql`select last_finished_at, locked_at, next_run_at from agenda_jobs where name = 'analytics-nightly'`,
    );
    expect(await job()).toHaveLength(1);
    // 02:30 has come: every instance polls for due jobs, one takes it.
    const slot = new Date();
    await database.db.execute(sql`update agenda_jobs set next_run_at = ${slot.toISOString()} where name = 'analytics-nightly'`);
    await until(async () => {
      const [j] = await job();
      return j!.last_finished_at !== null && new Date(j!.last_finished_at) >= slot && j!.locked_at === null;
    }, 60_000, 'the nightly job');
    const runs = logLines((l) => l.job === 'analytics-nightly' && (l.msg === 'job done' || l.msg === 'job failed'));
    expect(runs.map(([, l]) => l.msg)).toEqual(['job done']);
    const [j] = await job();
    expect(new Date(j!.next_run_at!).getTime()).toBeGreaterThan(Date.now());
  }, 90_000);

  // Last: it stops one of the three.
  it('hands the mailbox to another instance when its watcher stops', async () => {
    const watching = logLines((l) => l.msg === 'imap connected')[0]![0];
    const stopped = serves.find((s) => s.name === watching)!;
    await stopServe(stopped);
    expect(stopped.child.exitCode).toBe(0);
    const total = 10;
    await dovecot.append('INBOX', Array.from({ length: total }, (_, i) => plainMessage({ id: `after-${i}` })));
    const captured = () => count(sql`select count(*) as n from communications where channel = 'email' and external_id like '%after-%'`);
    await until(async () => (await captured()) >= total, 60_000, 'the mail after the takeover');
    const takers = logLines((l) => l.msg === 'mailbox taken over from another instance').map(([name]) => name);
    expect(takers).toHaveLength(1);
    expect(takers[0]).not.toBe(watching);
    expect(await captured()).toBe(total);
    const [folder] = await rows<{ messages_seen: number }>(sql`select messages_seen from mailbox_folders where path = 'INBOX'`);
    expect(Number(folder!.messages_seen)).toBe(30 + total);
  }, 90_000);
});
