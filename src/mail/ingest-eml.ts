// `rapport ingest eml`: .eml files → parseEmail → the capture pipeline, in batches (one transaction
// each). A file that cannot be read, parsed or captured is reported and skipped; the run goes on.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isRapportError } from '../core/errors.js';
import type { CaptureResult, Direction, InboundMessage } from '../core/inbound-message.js';
import { emlFiles } from './eml-files.js';
import { parseEmail } from './parse-email.js';

export interface IngestDeps {
  /** The capture pipeline's batch entry (src/capture.ts): all of a batch commits or none does. */
  captureBatch(messages: InboundMessage[]): Promise<CaptureResult[]>;
}

export interface IngestOptions {
  direction?: Direction | undefined;
  ownAddresses?: string[] | undefined;
  /** Messages per transaction (default 100). */
  batchSize?: number | undefined;
  onProgress?: ((done: number) => void) | undefined;
}

export interface IngestFailure {
  file: string;
  code: string;
  reason: string;
}

export interface IngestSummary {
  files: number;
  created: number;
  duplicate: number;
  updated: number;
  failed: number;
  /** Stored messages by flag (auto_reply, bounce, mailing_list, own_message, forwarded, parse_error, truncated). */
  flagged: Record<string, number>;
  failures: IngestFailure[];
  seconds: number;
}

// A batch is also flushed at this much text so a run of huge messages stays small in memory.
const maxBatchChars = 16 * 1024 * 1024;

export async function ingestEml(deps: IngestDeps, paths: readonly string[], opts: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const batchSize = opts.batchSize ?? 100;
  const summary: IngestSummary = { files: 0, created: 0, duplicate: 0, updated: 0, failed: 0, flagged: {}, failures: [], seconds: 0 };
  let batch: { file: string; message: InboundMessage }[] = [];
  let batchChars = 0;

  const fail = (file: string, code: string, reason: string) => {
    summary.failed++;
    summary.failures.push({ file, code, reason });
  };

  const record = (sent: typeof batch, results: CaptureResult[]) => {
    results.forEach((r, i) => {
      const { file, message } = sent[i]!;
      if (r.status === 'rejected') return fail(file, r.error?.code ?? 'rejected', r.error?.message ?? 'rejected by the capture pipeline');
      summary[r.status]++;
      if (r.status === 'created') for (const f of message.flags) summary.flagged[f] = (summary.flagged[f] ?? 0) + 1;
    });
  };

  // One batch is written while the next is read and parsed (the database works while we parse);
  // at most one write is in flight, so memory stays at two batches.
  let inFlight: Promise<void> | null = null;
  const flush = async () => {
    if (inFlight) await inFlight;
    inFlight = null;
    if (batch.length === 0) return;
    const sent = batch;
    const filesSoFar = summary.files;
    batch = [];
    batchChars = 0;
    inFlight = deps.captureBatch(sent.map((b) => b.message)).then((results) => {
      record(sent, results);
      opts.onProgress?.(filesSoFar);
    });
    // A failed write (the database went away) surfaces at the next await, not as an unhandled rejection.
    inFlight.catch(() => {});
  };

  for await (const entry of emlFiles(paths)) {
    summary.files++;
    if (entry.error) {
      fail(entry.path, 'unreadable', entry.error);
      continue;
    }
    try {
      const raw = await readFile(entry.path);
      const message = await parseEmail(raw, { direction: opts.direction, ownAddresses: opts.ownAddresses });
      message.rawRef = `file:${path.resolve(entry.path)}`;
      batch.push({ file: entry.path, message });
      batchChars += message.text.length + (message.fullText?.length ?? 0) + (message.html?.length ?? 0);
    } catch (e) {
      const code = isRapportError(e) ? e.code : ((e as NodeJS.ErrnoException).code ?? 'internal');
      fail(entry.path, code, (e as Error).message);
    }
    if (batch.length >= batchSize || batchChars >= maxBatchChars) await flush();
    else if (summary.files % 25 === 0) opts.onProgress?.(summary.files);
  }
  await flush();
  if (inFlight) await inFlight;
  opts.onProgress?.(summary.files);
  summary.seconds = Math.round((performance.now() - started) / 10) / 100;
  return summary;
}

export function formatIngestSummary(s: IngestSummary): string {
  const lines = [`${s.files} file(s): ${s.created} created, ${s.duplicate} duplicate, ${s.updated} updated, ${s.failed} failed (${s.seconds} s)`];
  const flags = Object.entries(s.flagged);
  if (flags.length > 0) lines.push(`flagged: ${flags.map(([f, n]) => `${f} ${n}`).join(', ')}`);
  for (const f of s.failures.slice(0, 50)) lines.push(`  failed: ${f.file}: ${f.reason}`);
  if (s.failures.length > 50) lines.push(`  … and ${s.failures.length - 50} more (use --json for all)`);
  return lines.join('\n');
}
