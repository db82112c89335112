// `rapport ingest eml` end to end on both databases: a directory tree of real-looking .eml files
// (GBK, the talon peer suite, a staff forward, an auto-reply, a broken and a junk file) is parsed
// and captured; failures are reported per file and never stop the run; a second run only finds
// duplicates.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestEmlFiles } from '../../src/channels/email.js';
import { normalizeCustomer } from '../../src/core/customers.js';
import { createCustomer } from '../../src/store/customers-repo.js';
import type { AppContext } from '../../src/context.js';
import { formatIngestSummary, type IngestSummary } from '../../src/mail/ingest-eml.js';
import { captureContext } from '../capture/helpers.js';
import type { TestDatabase } from '../helpers/database.js';
import { testDbKind } from '../helpers/database.js';
import { charsetMessage, plainMessage } from '../helpers/mail-fixtures.js';
import { rapportBin } from '../helpers/rapport-bin.js';

const root = path.resolve(import.meta.dirname, '../..');
const talon = path.resolve(root, '../shared/peer-suites/talon/standard_replies');

let dir: string;
let ctx: AppContext;
let database: TestDatabase;
let jane: string;

function writeTree(base: string) {
  mkdirSync(path.join(base, 'inbox/2026-11'), { recursive: true });
  mkdirSync(path.join(base, 'archive/talon'), { recursive: true });
  writeFileSync(path.join(base, 'inbox/2026-11/gbk.eml'), charsetMessage({ id: 'ingest-gbk', charset: 'GBK', subject: '发货延迟投诉', body: '订单已经一周没有发货了，请尽快处理。' }));
  writeFileSync(
    path.join(base, 'inbox/2026-11/forward.eml'),
    plainMessage({
      id: 'ingest-fwd',
      from: 'Staff <lin@rapport.example>',
      subject: 'Fwd: Broken charger',
      body: 'FYI\n\n---------- Forwarded message ---------\nFrom: Jane Doe <jane@acme-retail.com>\nDate: Thu, Nov 19, 2026 at 4:12 PM\nSubject: Broken charger\nTo: <lin@rapport.example>\n\nThe charger stopped working.\n',
    }),
  );
  writeFileSync(path.join(base, 'inbox/2026-11/ooo.eml'), plainMessage({ id: 'ingest-ooo', subject: 'Automatic reply: Order', headers: { 'Auto-Submitted': 'auto-replied' } }));
  writeFileSync(path.join(base, 'inbox/broken.eml'), 'From: wang@kehu.cn\r\nMessage-ID: <ingest-broken@kehu.cn>\r\nContent-Type: multipart/mixed; boundary="gone"\r\n\r\n内容还在。\r\n');
  writeFileSync(path.join(base, 'inbox/junk.eml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  writeFileSync(path.join(base, 'inbox/notes.txt'), 'not mail, not an .eml: ignored');
  for (const f of readdirSync(talon).filter((n) => n.endsWith('.eml'))) copyFileSync(path.join(talon, f), path.join(base, 'archive/talon', f));
  // The same message exported twice.
  copyFileSync(path.join(base, 'inbox/2026-11/gbk.eml'), path.join(base, 'archive/gbk-copy.eml'));
}

beforeAll(async () => {
  ({ ctx, database } = await captureContext());
  jane = await createCustomer(ctx.database.db, normalizeCustomer({ name: 'Jane Doe', emails: ['jane@acme-retail.com'] }, { defaultRegion: 'CN' }));
  dir = mkdtempSync(path.join(tmpdir(), 'rapport-ingest-'));
  writeTree(dir);
});

afterAll(async () => {
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = async (q: ReturnType<typeof sql>) => ((await ctx.database.db.execute(q)) as unknown as { rows: Record<string, unknown>[] }).rows;

describe(`rapport ingest eml (${testDbKind})`, () => {
  let first: IngestSummary;

  it('captures every readable message, reports each failing file, and goes on', async () => {
    const progress: number[] = [];
    first = await ingestEmlFiles(ctx, [dir, path.join(dir, 'missing.eml')], { batchSize: 4, onProgress: (n) => progress.push(n) });
    expect(first.files).toBe(19);
    expect(first.created).toBe(16);
    expect(first.duplicate).toBe(1);
    expect(first.failed).toBe(2);
    expect(first.failures.map((f) => [path.basename(f.file), f.code])).toEqual([
      ['junk.eml', 'validation'],
      ['missing.eml', 'unreadable'],
    ]);
    expect(first.flagged).toMatchObject({ auto_reply: 1, forwarded: 1, parse_error: 1 });
    expect(progress.at(-1)).toBe(19);
  });

  it('stores decoded GBK text, flags and the file it came from', async () => {
    const [gbk] = await rows(sql`select subject, text, raw_ref from communications where external_id = '<ingest-gbk@kehu.cn>'`);
    expect(gbk).toMatchObject({ subject: '发货延迟投诉', text: '订单已经一周没有发货了，请尽快处理。' });
    // Directories are walked in name order: the archive copy comes first, the inbox one is its duplicate.
    expect(String(gbk!.raw_ref)).toMatch(/^file:\/.*\/archive\/gbk-copy\.eml$/);
    const [broken] = await rows(sql`select flags, text from communications where external_id = '<ingest-broken@kehu.cn>'`);
    expect(broken).toMatchObject({ flags: ['parse_error'], text: '内容还在。' });
    const [ooo] = await rows(sql`select flags, customer_id from communications where external_id = '<ingest-ooo@customer-co.com>'`);
    expect(ooo).toMatchObject({ flags: ['auto_reply'], customer_id: null });
  });

  it('attributes a staff forward to the original sender', async () => {
    const [fwd] = await rows(sql`select match, customer_id, direction from communications where external_id = '<ingest-fwd@customer-co.com>'`);
    expect(fwd).toMatchObject({ customer_id: jane, direction: 'inbound' });
    expect((fwd!.match as { rule: string }).rule).toBe('forwarded');
  });

  it('finds only duplicates on a second run', async () => {
    const again = await ingestEmlFiles(ctx, [dir]);
    expect(again).toMatchObject({ files: 18, created: 0, duplicate: 17, failed: 1 });
  });

  it('runs as `rapport --json ingest eml DIR` with exit code 1 when a file failed', async () => {
    const dataDir = database.url ? null : mkdtempSync(path.join(tmpdir(), 'rapport-ingest-db-'));
    const env = database.url ? { DATABASE_URL: database.url } : { RAPPORT_DATA_DIR: dataDir! };
    const child = spawn(process.execPath, [rapportBin, '--json', 'ingest', 'eml', path.join(dir, 'inbox')], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    expect(err).toBe('');
    expect(code).toBe(1);
    const summary = JSON.parse(out) as IngestSummary;
    expect(summary.files).toBe(5);
    expect(summary.failures).toEqual([{ file: path.join(dir, 'inbox/junk.eml'), code: 'validation', reason: 'not an email message: no RFC 822 header at the start' }]);
    expect(summary.created + summary.duplicate).toBe(4);
  }, 60_000);
});

describe(`rapport ingest eml with hostile files (${testDbKind})`, () => {
  let hostile: string;
  const file = (name: string) => path.join(hostile, name);

  beforeAll(() => {
    hostile = mkdtempSync(path.join(tmpdir(), 'rapport-ingest-hostile-'));
    writeFileSync(file('a-nul-body.eml'), plainMessage({ id: 'hostile-nul', subject: 'nul\u0000subject', body: 'before\u0000after' }));
    writeFileSync(file('b-year-10000.eml'), plainMessage({ id: 'hostile-year', headers: { Date: 'Sat, 01 Jan 10000 00:00:00 +0000' } }));
    writeFileSync(file('c-big-subject.eml'), plainMessage({ id: 'hostile-subject', subject: 'S'.repeat(1024 * 1024) }));
    writeFileSync(file('d-not-mail.eml'), 'just words, no headers at all\n');
    const truncated = [
      'From: Alice Customer <alice@customer-co.com>',
      'To: support@ourco.com',
      'Subject: cut short',
      'Message-ID: <hostile-truncated@customer-co.com>',
      'Date: Fri, 20 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The words before the cut.',
      '--b1',
      'Content-Type: application/pdf; name="invoice.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29kZT4+CnN0cmVh',
      'JVBERi0xLjQKJcfs',
    ].join('\r\n');
    writeFileSync(file('e-truncated.eml'), truncated);
    writeFileSync(
      file('f-deep-html.eml'),
      plainMessage({ id: 'hostile-html', headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: `${'<div>'.repeat(20_000)}deep words${'</div>'.repeat(20_000)}` }),
    );
  });

  afterAll(() => rmSync(hostile, { recursive: true, force: true }));

  it('captures what can be read, cleaned and flagged, records the one non-mail file with its reason, and prints the summary', async () => {
    const summary = await ingestEmlFiles(ctx, [hostile], { batchSize: 2 });
    expect(summary.failures.map((f) => [path.basename(f.file), f.code, f.reason])).toEqual([['d-not-mail.eml', 'validation', 'not an email message: no RFC 822 header at the start']]);
    expect(summary).toMatchObject({ files: 6, created: 5, failed: 1 });
    expect(summary.flagged).toMatchObject({ bad_date: 1, parse_error: 1 });
    expect(formatIngestSummary(summary)).toMatch(/^6 file\(s\): 5 created, 0 duplicate, 0 updated, 1 failed/);

    const stored = async (name: string) => (await rows(sql`select subject, text, flags, occurred_at from communications where raw_ref = ${`file:${file(name)}`}`))[0]!;
    const nul = await stored('a-nul-body.eml');
    expect(nul).toMatchObject({ subject: 'nulsubject', text: 'beforeafter' });
    expect(nul.flags).toContain('sanitized');
    const year = await stored('b-year-10000.eml');
    expect(year.flags).toContain('bad_date');
    expect(new Date(year.occurred_at as string).getUTCFullYear()).toBeLessThan(10_000);
    const subject = await stored('c-big-subject.eml');
    expect(String(subject.subject)).toHaveLength(998);
    expect(subject.flags).toContain('truncated');
    const cut = await stored('e-truncated.eml');
    expect(cut.text).toContain('The words before the cut.');
    expect((await stored('f-deep-html.eml')).text).toContain('deep words');
  });
});
