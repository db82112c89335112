// `rapport communications list`: what capture stored, newest first, with who it was matched to and how.
import type { Command } from 'commander';
import type { AppContext } from '../../context.js';
import { listCommunicationRecords, type CommunicationRecord } from '../../store/communications-list.js';
import { correctKind } from '../../analytics-runner/kind-corrections.js';
import { type CommandIo, action } from '../runner.js';
import { actor } from './review.js';
import { customerIdOf } from '../resolve-ids.js';

export async function communicationsList(ctx: AppContext, io: CommandIo, opts: { customer?: string; channel?: string; limit?: string; cursor?: string }): Promise<void> {
  const customerId = opts.customer ? await customerIdOf(ctx, opts.customer) : undefined;
  const page = await listCommunicationRecords(ctx.database.db, { customerId, channel: opts.channel }, { limit: opts.limit ? Number(opts.limit) : 50, cursor: opts.cursor });
  if (io.json) {
    io.print(page.data, () => '');
  } else {
    io.out(page.data.length === 0 ? 'no communications' : page.data.map(human).join('\n'));
  }
  if (page.nextCursor) io.note(`more: --cursor ${page.nextCursor}`);
}

function human(c: CommunicationRecord): string {
  const who = c.customer ? `${c.customer.name}${c.customer.email ? ` <${c.customer.email}>` : ''}` : '(no customer)';
  const match = c.match ? `${c.match.rule} ${c.match.confidence}` : '-';
  return [
    `${c.id}  ${c.occurred_at.slice(0, 16)}  ${c.channel}/${c.direction}/${c.kind}  ${who}${c.company ? ` @ ${c.company.name}` : ''}  [${match}]${c.flags.length ? ` flags: ${c.flags.join(',')}` : ''}`,
    `  ${c.subject ?? '(no subject)'} — ${c.text.replace(/\s+/g, ' ').slice(0, 120)}`,
  ].join('\n');
}

export async function communicationsCorrect(ctx: AppContext, io: CommandIo, id: string, opts: { kind?: string; sentiment?: string; by?: string }): Promise<void> {
  const r = await correctKind(ctx.database.db, id, { kind: opts.kind, sentiment: opts.sentiment, by: actor(ctx, opts.by), source: 'cli' }, true);
  await ctx.shared.cards.forgetAll();
  const score = (s: number | null) => (s === null ? '-' : s.toFixed(2));
  io.print(r, (v) => `${v.communicationId}: kind ${v.old.kind} → ${v.new.kind}, sentiment ${score(v.old.sentiment)} → ${score(v.new.sentiment)}${v.threadId ? ' (thread too)' : ''}; recorded for the nightly retrain (by ${v.correctedBy})`);
}

export function registerCommunications(program: Command): void {
  const group = program.commands.find((c) => c.name() === 'communications') ?? program.command('communications').description('captured messages');
  group
    .command('list')
    .description('communications, newest first')
    .option('--customer <customer>', 'only this customer (id, email, phone or external id)')
    .option('--channel <channel>', 'only this channel (email, slack, webhook, …)')
    .option('--limit <n>', 'at most this many', '50')
    .option('--cursor <cursor>', 'the next page (printed after a full page)')
    .action(action(communicationsList));
  group
    .command('correct')
    .argument('<id>', 'communication id (or a unique prefix of it, 4+ characters)')
    .description("correct a message's kind and/or sentiment; applied to it and its thread now, learned by the nightly retrain")
    .option('--kind <kind>', 'feedback, question, issue, complaint, praise or other')
    .option('--sentiment <sentiment>', 'neg, neu or pos')
    .option('--by <name>', 'who is correcting (recorded)')
    .action(action(communicationsCorrect));
}
