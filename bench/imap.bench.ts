// IMAP sync throughput: N generated messages (bench/mail-corpus.ts: English/Chinese, some GBK,
// replies with quoted history, HTML-only, attachments) APPENDed to a throwaway dovecot, then
// `rapport sync email --once` (runEmailSyncOnce: headers, Message-ID check, bodies in batches,
// parseEmail, capture pipeline, cursor in the same transaction) on embedded PGlite and on the
// PostgreSQL server. Baseline, same run and server: a plain ImapFlow fetch of every message's
// source (no parsing, no storing). Also: a re-scan after a UIDVALIDITY change (every message
// already stored, so only headers are read).
//   npm run bench -- imap        (RAPPORT_BENCH_IMAP_MESSAGES=3000, RAPPORT_IMAP_BATCH_SIZE=50)
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { runEmailSyncOnce } from '../src/channels/email.js';
import { createLogger } from '../src/log.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { startDovecot, type DovecotServer } from '../test/helpers/dovecot.js';
import { writeMailCorpus } from './mail-corpus.js';
import type { Bench, BenchRow } from './run.js';
import { serverDatabase } from './server-database.js';



async function plainFetch(dovecot: DovecotServer): Promise<number> {
  const client = await dovecot.client();
  let n = 0;
  try {
    await client.mailboxOpen('INBOX', { readOnly: true });
    for await (const m of client.fetch('1:*', { uid: true, envelope: true, source: true }, { uid: true })) {
      if (m.source) n++;
    }
  } finally {
    await client.logout();
  }
  return n;
}

async function rapportSync(dovecot: DovecotServer, database: Database, expected: number) {
  const env = {
    RAPPORT_IMAP_HOST: dovecot.host, RAPPORT_IMAP_PORT: String(dovecot.port), RAPPORT_IMAP_TLS: 'false',
    RAPPORT_IMAP_USER: dovecot.user, RAPPORT_IMAP_PASSWORD: dovecot.password, RAPPORT_IMAP_SINCE: 'all',
    RAPPORT_INTERNAL_DOMAINS: 'rapport.example', RAPPORT_AUTO_CREATE: 'always', RAPPORT_JOBS: 'off',
    ...(process.env.RAPPORT_IMAP_BATCH_SIZE ? { RAPPORT_IMAP_BATCH_SIZE: process.env.RAPPORT_IMAP_BATCH_SIZE } : {}),
  };
  const ctx = await createContext(loadConfig(env), createLogger('silent'), database);
  const timed = async () => {
    const t0 = performance.now();
    const s = await runEmailSyncOnce(ctx);
    const seconds = (performance.now() - t0) / 1000;
    if (s.errors > 0) throw new Error(`sync reported errors: ${JSON.stringify(s.mailboxes.map((m) => m.error ?? m.folders.map((f) => f.error)))}`);
    return { s, seconds };
  };
  const first = await timed();
  if (first.s.totals.created + first.s.totals.duplicates !== expected) {
    throw new Error(`expected ${expected} messages, captured ${first.s.totals.created} (+${first.s.totals.duplicates} duplicates, ${first.s.totals.failed} failed)`);
  }
  return { ctx, first, rescan: timed };
}

export const bench: Bench = {
  name: 'imap',
  async run() {
    const n = Number(process.env.RAPPORT_BENCH_IMAP_MESSAGES ?? 3000);
    const corpusDir = mkdtempSync(path.join(tmpdir(), 'rapport-bench-imap-'));
    const dovecot = await startDovecot();
    const cleanup: (() => Promise<void>)[] = [];
    try {
      writeMailCorpus(corpusDir, n);
      const files = readdirSync(corpusDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.eml')).sort();
      const raw = files.map((f) => readFileSync(path.join(corpusDir, f)));
      const bytes = raw.reduce((sum, b) => sum + b.length, 0);
      const appendStart = performance.now();
      await dovecot.append('INBOX', raw);
      const appendSeconds = (performance.now() - appendStart) / 1000;

      const rows: BenchRow[] = [];
      const t0 = performance.now();
      const fetched = await plainFetch(dovecot);
      const baseSeconds = (performance.now() - t0) / 1000;
      if (fetched !== n) throw new Error(`plain fetch saw ${fetched} of ${n} messages`);
      const baseRate = n / baseSeconds;
      rows.push({ name: 'plain ImapFlow fetch of every source (baseline)', values: { 'messages/s': baseRate, seconds: baseSeconds }, ratio: null });

      const lite = await openDatabase({ dataDir: 'memory://' });
      await lite.migrate();
      const onLite = await rapportSync(dovecot, lite, n);
      cleanup.push(() => onLite.ctx.close());
      const liteRate = n / onLite.first.seconds;
      rows.push({ name: 'rapport sync email --once · first sync · PGlite', values: { 'messages/s': liteRate, seconds: onLite.first.seconds }, ratio: liteRate / baseRate });

      const server = await serverDatabase('rapport_bench_imap');
      if (!server) throw new Error('PostgreSQL is unreachable: the IMAP benchmark needs it');
      cleanup.push(server.drop);
      const onPg = await rapportSync(dovecot, server.database, n);
      cleanup.push(() => onPg.ctx.close());
      const pgRate = n / onPg.first.seconds;
      rows.push({ name: 'rapport sync email --once · first sync · PostgreSQL', values: { 'messages/s': pgRate, seconds: onPg.first.seconds }, ratio: pgRate / baseRate });

      // A new UIDVALIDITY (mailbox rebuilt on the server): every message is re-listed, none re-downloaded.
      await dovecot.wipeMaildir();
      await dovecot.append('INBOX', raw);
      const rescan = await onPg.rescan();
      if (rescan.s.totals.fetched !== 0) throw new Error(`re-scan downloaded ${rescan.s.totals.fetched} bodies`);
      const rescanRate = n / rescan.seconds;
      rows.push({
        name: 're-scan after UIDVALIDITY change (headers only) · PostgreSQL',
        values: { 'messages/s': rescanRate, seconds: rescan.seconds }, ratio: rescanRate / baseRate,
        note: `${rescan.s.totals.skippedKnown} skipped by Message-ID`,
      });
      return {
        title: 'IMAP sync from dovecot',
        about:
          `${n} generated messages (${(bytes / 1024 / 1024).toFixed(1)} MB; English/Chinese, ~10% GBK, replies, HTML-only, attachments; ` +
          `\`RAPPORT_BENCH_IMAP_MESSAGES\`) APPENDed to a local dovecot in ${appendSeconds.toFixed(1)} s, then synced with ` +
          `\`runEmailSyncOnce\` (what \`rapport sync email --once\` runs): headers first, bodies in batches of ` +
          `${process.env.RAPPORT_IMAP_BATCH_SIZE ?? 200} parsed in worker threads and appended to the inbox with the folder cursor in one transaction; the time includes capture (the sync returns once the capture worker has stored them all).`,
        baseline: 'a plain ImapFlow `FETCH 1:* (UID ENVELOPE BODY.PEEK[])` of the same messages from the same server, nothing parsed or stored',
        columns: ['messages/s', 'seconds'],
        rows,
      };
    } finally {
      for (const c of cleanup.reverse()) await c().catch(() => {});
      await dovecot.close();
      rmSync(corpusDir, { recursive: true, force: true });
    }
  },
};
