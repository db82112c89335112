// The ingest loop's contract with the inbox, with stand-ins for append and settle (the real inbox
// and capture worker on both databases are in test/ingest/).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CaptureResult } from '../../../src/core/inbound-message.js';
import { formatIngestSummary, ingestEml, IngestStopped, type IngestAppendResult } from '../../../src/mail/ingest-eml.js';
import { parseEmail } from '../../../src/mail/parse-email.js';

const dir = mkdtempSync(path.join(tmpdir(), 'rapport-ingest-unit-'));
for (let i = 0; i < 7; i++) writeFileSync(path.join(dir, `${i}.eml`), `From: c${i}@kehu.cn\r\nMessage-ID: <u${i}@kehu.cn>\r\nSubject: ${i}\r\n\r\nbody ${i}\r\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const result = (id: string, status: CaptureResult['status'] = 'created'): CaptureResult => ({
  id,
  status,
  customerId: null,
  threadId: null,
  direction: 'inbound',
  match: { rule: 'unmatched', confidence: 0, customerId: null, companyId: null },
});

describe('ingestEml', () => {
  it('appends messages in batches and counts what the inbox and the capture worker say', async () => {
    const batches: string[][] = [];
    const summary = await ingestEml(
      {
        parse: (raw, options) => parseEmail(raw, options),
        async append(messages) {
          batches.push(messages.map((m) => m.externalId));
          return messages.map((m): IngestAppendResult =>
            m.externalId === '<u6@kehu.cn>' ? { id: 'x', status: 'duplicate' } : m.externalId === '<u5@kehu.cn>' ? { id: '', status: 'rejected', error: { code: 'validation', message: 'invalid message: from' } } : { id: m.externalId, status: 'accepted' },
          );
        },
        async settle(ids) {
          return ids.map((id) => (id === '<u3@kehu.cn>' ? { ...result(id, 'rejected'), error: { code: '22P05', message: 'unsupported Unicode escape sequence' } } : result(id)));
        },
      },
      [dir],
      { batchSize: 3, parallel: 2 },
    );
    expect(batches.flat().sort()).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `<u${i}@kehu.cn>`));
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(summary).toMatchObject({ files: 7, created: 4, duplicate: 1, failed: 2 });
    expect(summary.failures.map((f) => [path.basename(f.file), f.code]).sort()).toEqual([['3.eml', '22P05'], ['5.eml', 'validation']]);
    expect(formatIngestSummary(summary)).toMatch(/^7 file\(s\): 4 created, 1 duplicate, 0 updated, 2 failed/);
  });

  it('stops with the error and the summary so far when the database fails, without an unhandled rejection', async () => {
    let calls = 0;
    const run = ingestEml(
      {
        parse: (raw, options) => parseEmail(raw, options),
        async append() {
          calls++;
          throw new Error('connection terminated');
        },
        settle: async () => [],
      },
      [dir],
      { batchSize: 2 },
    );
    await expect(run).rejects.toThrow('connection terminated');
    const stopped = (await run.catch((e: unknown) => e)) as IngestStopped;
    expect(stopped).toBeInstanceOf(IngestStopped);
    expect((stopped.cause as Error).message).toBe('connection terminated');
    expect(stopped.summary.files).toBeGreaterThanOrEqual(2);
    expect(formatIngestSummary(stopped.summary)).toMatch(/^\d+ file\(s\): 0 created/);
    expect(calls).toBe(1);
  });
});
