// `rapport ingest eml`: .eml files → parsed (in parallel, off the event loop) → the inbox, in
// batches → captured by the capture worker, which runs meanwhile. A file that cannot be read,
// parsed or captured is reported with its reason and skipped; the run goes on and always ends with
// its summary. Memory stays bounded: a few batches are parsed ahead, a few wait to be captured.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isRapportError } from '../core/errors.js';
import type { CaptureResult, Direction, InboundMessage } from '../core/inbound-message.js';
import { emlFiles } from './eml-files.js';
import type { ParseEmailOptions } from './parse-email.js';

export type IngestAppendResult = { id: string; status: 'accepted' | 'duplicate' } | { id: ''; status: 'rejected'; error: { code: string; message: string } };

export interface IngestDeps {
  parse(raw: Buffer, options: ParseEmailOptions): Promise<InboundMessage>;
  /** Appends a batch to the inbox (src/channels/inbox.ts). */
  append(messages: InboundMessage[]): Promise<IngestAppendResult[]>;
  /** Waits until appended messages are captured; one result per id. */
  settle(ids: string[]): Promise<CaptureResult[]>;
}

export interface IngestOptions {
  direction?: Direction | undefined;
  ownAddresses?: string[] | undefined;
  /** Messages per inbox append (default 200). */
  batchSize?: number | undefined;
  /** Files parsed at once (default 8). */
  parallel?: number | undefined;
  /** Larger files are reported `too_large` and not read (default 64 MiB). */
  maxBytes?: number | undefined;
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

/** The run stopped (the database went away): `cause` is why, `summary` what was done until then. */
export class IngestStopped extends Error {
  constructor(
    readonly summary: IngestSummary,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'IngestStopped';
  }
}

const defaultMaxBytes = 64 * 1024 * 1024;
/** Batches appended but not yet captured, at most. */
const capturingAhead = 8;

export async function ingestEml(deps: IngestDeps, paths: readonly string[], opts: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const batchSize = opts.batchSize ?? 200;
  const parallel = Math.max(1, opts.parallel ?? 8);
  const maxBytes = opts.maxBytes ?? defaultMaxBytes;
  const summary: IngestSummary = { files: 0, created: 0, duplicate: 0, updated: 0, failed: 0, flagged: {}, failures: [], seconds: 0 };
  let done = 0;
  const fail = (file: string, code: string, reason: string) => {
    summary.failed++;
    summary.failures.push({ file, code, reason: reason.split('\n')[0]!.slice(0, 300) });
  };
  const progress = (n: number) => {
    done += n;
    opts.onProgress?.(done);
  };

  type Parsed = { file: string; message: InboundMessage } | null;
  const parseFile = async (file: string): Promise<Parsed> => {
    try {
      const size = (await stat(file)).size;
      if (size > maxBytes) {
        fail(file, 'too_large', `the file is ${size} bytes, over the ${maxBytes}-byte limit`);
        return null;
      }
      const message = await deps.parse(await readFile(file), { direction: opts.direction, ownAddresses: opts.ownAddresses });
      message.rawRef = `file:${path.resolve(file)}`;
      return { file, message };
    } catch (e) {
      fail(file, isRapportError(e) ? e.code : ((e as NodeJS.ErrnoException).code ?? 'internal'), (e as Error).message);
      return null;
    }
  };

  // Captures of appended batches, waited for in order; at most `capturingAhead` outstanding.
  const capturing: Promise<void>[] = [];
  const settleBatch = async (sent: { file: string; message: InboundMessage }[], appended: IngestAppendResult[]) => {
    const waiting: { file: string; message: InboundMessage; id: string }[] = [];
    appended.forEach((a, i) => {
      const { file, message } = sent[i]!;
      if (a.status === 'rejected') fail(file, a.error.code, a.error.message);
      else if (a.status === 'duplicate') summary.duplicate++;
      else waiting.push({ file, message, id: a.id });
    });
    const results = waiting.length ? await deps.settle(waiting.map((w) => w.id)) : [];
    results.forEach((r, i) => {
      const { file, message } = waiting[i]!;
      if (r.status === 'rejected') return fail(file, r.error?.code ?? 'rejected', r.error?.message ?? 'not captured');
      summary[r.status]++;
      if (r.status === 'created') for (const f of message.flags) summary.flagged[f] = (summary.flagged[f] ?? 0) + 1;
    });
    progress(sent.length);
  };

  const finish = () => {
    // Files are parsed several at a time: report failures in path order, whatever finished first.
    summary.failures.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    summary.seconds = Math.round((performance.now() - started) / 10) / 100;
    return summary;
  };

  let batch: { file: string; message: InboundMessage }[] = [];
  // Appends run one after another but beside the parsing: the files keep being parsed while a batch
  // is written (waiting for each append left the parse threads idle a quarter of the time).
  // The first failed append stops the run: no further batch is sent.
  let appending: Promise<unknown> = Promise.resolve();
  let stopped: { error: unknown } | null = null;
  const flush = async () => {
    if (stopped) throw stopped.error;
    if (batch.length === 0) return;
    const sent = batch;
    batch = [];
    const appended = appending.then(() => {
      if (stopped) throw stopped.error;
      return deps.append(sent.map((b) => b.message));
    });
    appending = appended.catch((error: unknown) => void (stopped ??= { error }));
    const p = appended.then((a) => settleBatch(sent, a));
    p.catch(() => {}); // awaited below; a failure surfaces there
    capturing.push(p);
    if (capturing.length >= capturingAhead) await capturing.shift();
  };

  const parsing: Promise<Parsed>[] = [];
  const takeParsed = async () => {
    const parsed = await parsing.shift()!;
    if (parsed) batch.push(parsed);
    else progress(1);
    if (batch.length >= batchSize) await flush();
  };
  try {
    for await (const entry of emlFiles(paths)) {
      summary.files++;
      if (entry.error) {
        fail(entry.path, 'unreadable', entry.error);
        progress(1);
        continue;
      }
      parsing.push(parseFile(entry.path));
      if (parsing.length >= parallel) await takeParsed();
    }
    while (parsing.length > 0) await takeParsed();
    await flush();
    for (const p of capturing.splice(0)) await p;
  } catch (e) {
    // The database failed: the run stops (every further batch would fail the same way), and what
    // was done until then is still reported. Pending work is let go without unhandled rejections.
    for (const p of [...parsing.splice(0), ...capturing.splice(0)]) p.catch(() => {});
    throw new IngestStopped(finish(), e);
  }
  return finish();
}

export function formatIngestSummary(s: IngestSummary): string {
  const lines = [`${s.files} file(s): ${s.created} created, ${s.duplicate} duplicate, ${s.updated} updated, ${s.failed} failed (${s.seconds} s)`];
  const flags = Object.entries(s.flagged);
  if (flags.length > 0) lines.push(`flagged: ${flags.map(([f, n]) => `${f} ${n}`).join(', ')}`);
  for (const f of s.failures.slice(0, 50)) lines.push(`  failed: ${f.file}: ${f.reason}`);
  if (s.failures.length > 50) lines.push(`  … and ${s.failures.length - 50} more (use --json for all)`);
  return lines.join('\n');
}
