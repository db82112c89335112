// The ingest loop's contract with the capture pipeline, with a stand-in for captureBatch (the real
// pipeline on both databases is in test/ingest/).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CaptureResult, InboundMessage } from '../../../src/core/inbound-message.js';
import { formatIngestSummary, ingestEml } from '../../../src/mail/ingest-eml.js';

const dir = mkdtempSync(path.join(tmpdir(), 'rapport-ingest-unit-'));
for (let i = 0; i < 7; i++) writeFileSync(path.join(dir, `${i}.eml`), `From: c${i}@kehu.cn\r\nMessage-ID: <u${i}@kehu.cn>\r\nSubject: ${i}\r\n\r\nbody ${i}\r\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ok = (m: InboundMessage, status: CaptureResult['status'] = 'created'): CaptureResult => ({
  id: m.externalId,
  status,
  customerId: null,
  threadId: null,
  direction: 'inbound',
  match: { rule: 'unmatched', confidence: 0, customerId: null, companyId: null },
});

describe('ingestEml', () => {
  it('sends messages in batches, one write at a time, and counts what the pipeline says', async () => {
    const batches: string[][] = [];
    let writing = 0;
    const summary = await ingestEml(
      {
        async captureBatch(messages) {
          writing++;
          expect(writing).toBe(1);
          batches.push(messages.map((m) => m.externalId));
          await new Promise((r) => setTimeout(r, 5));
          writing--;
          return messages.map((m, i) => (i === 0 && batches.length === 2 ? { ...ok(m), status: 'rejected', error: { code: 'validation', message: 'bad' } } : ok(m, m.externalId === '<u6@kehu.cn>' ? 'duplicate' : 'created')));
        },
      },
      [dir],
      { batchSize: 3 },
    );
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(summary).toMatchObject({ files: 7, created: 5, duplicate: 1, failed: 1 });
    expect(summary.failures).toEqual([{ file: path.join(dir, '3.eml'), code: 'validation', reason: 'bad' }]);
    expect(formatIngestSummary(summary)).toMatch(/^7 file\(s\): 5 created, 1 duplicate, 0 updated, 1 failed/);
  });

  it('stops with the error when the database fails, without an unhandled rejection', async () => {
    let calls = 0;
    const run = ingestEml(
      {
        async captureBatch() {
          calls++;
          throw new Error('connection terminated');
        },
      },
      [dir],
      { batchSize: 2 },
    );
    await expect(run).rejects.toThrow('connection terminated');
    expect(calls).toBe(1);
  });
});
