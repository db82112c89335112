// `rapport inbox list [--failed]` and `rapport inbox retry ID|--all`: what channels accepted and
// what capture made of it. A message that could not be captured is retried with backoff and then
// parked as `failed` with its reason; `retry` puts it back in line once the cause is fixed.
import type { Command } from 'commander';
import type { AppContext } from '../../context.js';
import { RapportError, validationError } from '../../core/errors.js';
import { inboxIdsByPrefix, inboxStats, listInbox, retryInbox, type InboxEntry } from '../../store/inbox-repo.js';
import type { InboxStatus } from '../../store/schema/inbox.js';
import { formatTable } from '../format-table.js';
import { type CommandIo, action } from '../runner.js';

const statuses = ['pending', 'captured', 'review', 'noise', 'duplicate', 'failed'] as const;

function view(e: InboxEntry) {
  return {
    id: e.id,
    channel: e.channel,
    external_id: e.externalId,
    status: e.status,
    attempts: e.attempts,
    error: e.error,
    communication_id: e.communicationId,
    received_at: e.receivedAt.toISOString(),
    settled_at: e.settledAt?.toISOString() ?? null,
    next_attempt_at: e.status === 'pending' && e.attempts > 0 ? e.nextAttemptAt.toISOString() : null,
  };
}

async function list(ctx: AppContext, io: CommandIo, opts: { failed?: boolean; status?: string; limit?: string }): Promise<number> {
  if (opts.status && !(statuses as readonly string[]).includes(opts.status)) {
    throw validationError(`--status must be one of ${statuses.join(', ')}`, [{ field: 'status', message: statuses.join(', ') }]);
  }
  const limit = Number(opts.limit ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw validationError('--limit must be 1 to 1000', [{ field: 'limit', message: '1 to 1000' }]);
  const status: InboxStatus | 'failing' | undefined = opts.failed ? 'failing' : (opts.status as InboxStatus | undefined);
  const [entries, stats] = await Promise.all([listInbox(ctx.database.db, { status, limit }), inboxStats(ctx.database.db)]);
  const rows = entries.map(view);
  io.print({ stats: { pending: stats.pending, failed: stats.failed, oldest_pending_at: stats.oldestPendingAt?.toISOString() ?? null }, entries: rows }, () => {
    const head = `${stats.pending} waiting, ${stats.failed} failed${stats.oldestPendingAt ? `, oldest waiting since ${stats.oldestPendingAt.toISOString()}` : ''}`;
    if (rows.length === 0) return `${head}\nno entries`;
    return `${head}\n${formatTable(
      ['id', 'received', 'channel', 'status', 'attempts', 'reason'],
      rows.map((r) => [r.id, r.received_at.slice(0, 19), r.channel, r.status, String(r.attempts), r.error ? `${r.error.code}: ${r.error.message}` : '']),
    )}`;
  });
  return 0;
}

async function retry(ctx: AppContext, io: CommandIo, id: string | undefined, opts: { all?: boolean }): Promise<number> {
  if (!id && !opts.all) throw validationError('name an inbox entry, or --all', [{ field: 'id', message: 'an id (or a unique prefix of 6+ characters) or --all' }]);
  let ids: string[] | 'all' = 'all';
  if (id) {
    if (!/^[0-9a-f-]{6,36}$/i.test(id)) throw validationError(`not an inbox id: ${id}`, [{ field: 'id', message: 'an id or a unique prefix of 6+ characters' }]);
    const found = await inboxIdsByPrefix(ctx.database.db, id);
    if (found.length === 0) throw new RapportError('not_found', `no inbox entry ${id}`);
    if (found.length > 1) throw validationError(`${id} is the start of several inbox ids; give more of it`, [{ field: 'id', message: 'ambiguous prefix' }]);
    ids = found;
  }
  const n = await retryInbox(ctx.database.db, ids);
  io.print({ retried: n }, (r) => (r.retried === 0 ? 'nothing to retry (only failed messages are retried)' : `${r.retried} message(s) back in line; a running \`rapport serve\` captures them`));
  return 0;
}

export function registerInbox(program: Command): void {
  const group = program.command('inbox').description('messages accepted by the channels, and what capture made of them');
  group
    .command('list')
    .description('inbox entries, newest first, with the waiting and failed counts')
    .option('--failed', 'only messages that failed at least once (parked, or waiting for a retry)')
    .option('--status <status>', `only this status: ${statuses.join(', ')}`)
    .option('--limit <n>', 'at most this many', '50')
    .action(action(list));
  group
    .command('retry [id]')
    .description('put a failed message (or --all) back in line for capture')
    .option('--all', 'every failed message')
    .action(action(retry));
}
