// `rapport review …` (the queue of messages no customer could be found for), `rapport customers
// merge` and `rapport staff …`: the people side of capture.
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { AppContext } from '../../context.js';
import { notFound, validationError } from '../../core/errors.js';
import { mergeCustomers, type MergeResult } from '../../store/customer-merge.js';
import { dismissReviewItem, linkCommunication, listReviewItems, type LinkResult, type ReviewItemView, type ReviewStatus } from '../../store/review-repo.js';
import { addStaff, listStaff, removeStaff } from '../../store/staff-repo.js';
import { formatTable } from '../format-table.js';
import { customerIdOf, idOf } from '../resolve-ids.js';
import { action, type CommandIo } from '../runner.js';

export { customerIdOf };

/** Who is acting, for the audit: --by, else RAPPORT_USER, else the OS user. */
export function actor(ctx: AppContext, by: string | undefined): string {
  if (by?.trim()) return by.trim();
  if (ctx.config.RAPPORT_USER) return ctx.config.RAPPORT_USER;
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

const statuses = ['open', 'linked', 'dismissed'] as const;

function who(item: ReviewItemView): string {
  const c = item.contact;
  return c ? [c.name, c.email, c.phone, c.slackUser].filter(Boolean).join(' ') || '(no identity)' : '(unknown sender)';
}

export async function reviewList(ctx: AppContext, io: CommandIo, opts: { status?: string; limit?: string }): Promise<void> {
  const status = (opts.status ?? 'open') as ReviewStatus;
  if (!statuses.includes(status)) throw validationError(`unknown status "${opts.status}"`, [{ field: 'status', message: statuses.join(', ') }]);
  const page = await listReviewItems(ctx.database.db, { status }, { limit: opts.limit ? Number(opts.limit) : 50 });
  io.print(page.data, (items) =>
    items.length === 0
      ? `no ${status} review items`
      : items
          .map((i) =>
            [
              `${i.communicationId}  ${i.reason.padEnd(12)} ${i.communication.occurredAt.slice(0, 16)}  ${i.communication.channel}/${i.communication.direction}`,
              `  from: ${who(i)}${i.company ? `  company: ${i.company.name}` : ''}${i.candidates.length ? `  candidates: ${i.candidates.map((c) => c.customerId ?? c.companyId).join(', ')}` : ''}`,
              `  ${i.communication.subject ?? '(no subject)'} — ${i.communication.text.replace(/\s+/g, ' ').slice(0, 100)}`,
            ].join('\n'),
          )
          .join('\n'),
  );
}

export async function reviewLink(ctx: AppContext, io: CommandIo, communicationKey: string, customer: string, opts: { by?: string }): Promise<void> {
  const communicationId = await idOf(ctx, 'communication', communicationKey);
  const customerId = await customerIdOf(ctx, customer);
  const result = await linkCommunication(ctx.database.db, communicationId, customerId, actor(ctx, opts.by), {
    defaultRegion: ctx.config.RAPPORT_DEFAULT_REGION,
    internalDomains: ctx.config.RAPPORT_INTERNAL_DOMAINS,
  });
  await ctx.shared.cards.forget([customerId]);
  io.print(result, (r: LinkResult) =>
    [
      `linked ${r.communicationId} to customer ${r.customerId}`,
      r.learned.length ? `learned ${r.learned.join(', ')}: the next message from them matches` : 'no new identity learned',
      ...(r.heldElsewhere.length ? [`already another customer's: ${r.heldElsewhere.join(', ')} (merge the customers if they are one)`] : []),
      ...(r.alsoLinked.length ? [`also linked ${r.alsoLinked.length} other open item(s) from the same person`] : []),
    ].join('\n'),
  );
}

export async function customersMerge(ctx: AppContext, io: CommandIo, source: string, target: string, opts: { by?: string }): Promise<void> {
  const sourceId = await customerIdOf(ctx, source);
  const targetId = await customerIdOf(ctx, target);
  const result = await mergeCustomers(ctx.database.db, sourceId, targetId, actor(ctx, opts.by));
  await ctx.shared.cards.forget([sourceId, targetId]);
  io.print(result, (r: MergeResult) =>
    [
      `merged ${r.sourceId} into ${r.targetId} (by ${r.mergedBy}, ${r.mergedAt})`,
      `moved: ${Object.entries(r.moved).map(([t, n]) => `${t} ${n}`).join(', ')}`,
      ...(Object.keys(r.kept).length ? [`kept on the merged customer (target had its own): ${Object.entries(r.kept).map(([t, n]) => `${t} ${n}`).join(', ')}`] : []),
    ].join('\n'),
  );
}

/** `customers` may be registered by another area too: share the group. */
function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

export function registerReview(program: Command): void {
  const review = group(program, 'review', 'messages capture could not attach to a customer');
  review
    .command('list')
    .description('list review items (oldest first)')
    .option('--status <status>', 'open | linked | dismissed', 'open')
    .option('--limit <n>', 'at most this many', '50')
    .action(action(reviewList));
  review
    .command('link <communication> <customer>')
    .description('attach a message to a customer (id, email, phone or external id) and learn the sender\'s identities')
    .option('--by <name>', 'who is linking (recorded)')
    .action(action(reviewLink));
  review
    .command('dismiss <communication>')
    .description('take a message off the queue without linking it')
    .option('--by <name>', 'who is dismissing (recorded)')
    .action(
      action<[string, { by?: string }]>(async (ctx, io, key, opts) => {
        const id = await idOf(ctx, 'communication', key);
        if (!(await dismissReviewItem(ctx.database.db, id, actor(ctx, opts.by)))) throw notFound('open review item for communication', id);
        io.print({ communicationId: id, status: 'dismissed' }, () => `dismissed ${id}`);
      }),
    );

  const customers = group(program, 'customers', 'customers: get, list, create, update, merge, export and erase');
  customers
    .command('merge <source> <target>')
    .description('move everything of SOURCE (identities, communications, orders, threads) to TARGET; SOURCE is kept as merged')
    .option('--by <name>', 'who is merging (recorded in the audit)')
    .action(action(customersMerge));

  const staff = group(program, 'staff', 'our own people: never matched as customers');
  staff
    .command('add <identity>')
    .description('add a staff email, Slack user id (U…) or phone')
    .option('--name <name>', 'display name')
    .action(
      action<[string, { name?: string }]>(async (ctx, io, identity, opts) => {
        const r = await addStaff(ctx.database.db, identity, opts.name ?? null, ctx.config.RAPPORT_DEFAULT_REGION);
        io.print(r.staff, (s) => `${r.created ? 'added' : 'already staff:'} ${s.kind} ${s.display}${s.name ? ` (${s.name})` : ''}`);
      }),
    );
  staff
    .command('list')
    .description('staff identities (RAPPORT_INTERNAL_DOMAINS count as staff too)')
    .action(
      action(async (ctx, io) => {
        const rows = await listStaff(ctx.database.db);
        io.print({ internalDomains: ctx.config.RAPPORT_INTERNAL_DOMAINS, staff: rows }, (v) =>
          [
            `internal domains: ${v.internalDomains.join(', ') || '(none: set RAPPORT_INTERNAL_DOMAINS)'}`,
            v.staff.length ? formatTable(['KIND', 'IDENTITY', 'NAME'], v.staff.map((s) => [s.kind, s.display, s.name ?? '-'])) : 'no staff identities',
          ].join('\n'),
        );
      }),
    );
  staff
    .command('remove <identity>')
    .description('remove a staff identity')
    .action(
      action<[string]>(async (ctx, io, identity) => {
        if (!(await removeStaff(ctx.database.db, identity, ctx.config.RAPPORT_DEFAULT_REGION))) throw notFound('staff identity', identity);
        io.print({ removed: identity }, () => `removed ${identity}`);
      }),
    );
}
