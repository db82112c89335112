import type { Command } from 'commander';
import { RapportError, validationError } from '../../core/errors.js';
import { validateSubscription } from '../../digest/subscription-input.js';
import type { DigestData } from '../../digest/digest.js';
import { renderDigestEmail } from '../../digest/render-email.js';
import { renderDigestText } from '../../digest/render-text.js';
import { isValidTimeZone } from '../../digest/schedule.js';
import { buildDigest, digestOptions } from '../../jobs/digests.js';
import { createSubscription, listSubscriptions, removeSubscription, type DigestSubscription } from '../../store/digest-repo.js';
import { formatTable } from '../format-table.js';
import { idOf } from '../resolve-ids.js';
import { action } from '../runner.js';

interface SubscribeOpts {
  slack?: string;
  email?: string;
  owner?: string;
  segment?: string;
  at: string;
  tz?: string;
}

const describeSub = (s: DigestSubscription) =>
  `${s.id}  ${s.targetKind} ${s.target}  at ${s.at} ${s.timeZone}${s.owner ? `  owner ${s.owner}` : ''}${s.segment ? `  segment ${s.segment}` : ''}${s.active ? '' : '  (inactive)'}`;

export function registerDigest(program: Command): void {
  const digest = program.command('digest').description('daily digests to Slack and email');
  digest
    .command('subscribe')
    .description('send a daily digest to a Slack channel or an email address')
    .option('--slack <channel>', 'Slack channel (#name or id)')
    .option('--email <address>', 'email address')
    .option('--owner <owner>', 'only customers of this owner')
    .option('--segment <segment>', 'only customers in this segment')
    .option('--at <HH:MM>', 'time of day', '09:00')
    .option('--tz <zone>', 'IANA time zone, e.g. Asia/Shanghai (default RAPPORT_TIMEZONE)')
    .action(
      action<[SubscribeOpts]>(async (ctx, io, o) => {
        const { subscription, created } = await createSubscription(ctx.database.db, validateSubscription(o, ctx.config.RAPPORT_TIMEZONE));
        io.print({ ...subscription, created }, (s) => `${created ? 'subscribed' : 'updated'}: ${describeSub(s)}`);
      }),
    );
  digest
    .command('list')
    .description('digest subscriptions')
    .action(
      action(async (ctx, io) => {
        const subs = await listSubscriptions(ctx.database.db);
        io.print(subs, (ss) =>
          ss.length
            ? formatTable(
                ['ID', 'TARGET', 'AT', 'ZONE', 'OWNER', 'SEGMENT', 'ACTIVE'],
                ss.map((s) => [s.id, `${s.targetKind} ${s.target}`, s.at, s.timeZone, s.owner ?? '-', s.segment ?? '-', s.active ? 'yes' : 'no']),
              )
            : 'no subscriptions (add one with `rapport digest subscribe`)',
        );
      }),
    );
  digest
    .command('unsubscribe <id>')
    .description('remove a subscription')
    .action(
      action<[string]>(async (ctx, io, key) => {
        const id = await idOf(ctx, 'subscription', key);
        if (!(await removeSubscription(ctx.database.db, id))) throw new RapportError('not_found', `no subscription ${key}`);
        io.print({ removed: id }, () => `removed ${id}`);
      }),
    );
  digest
    .command('preview')
    .description('show what the digest would say now (the 24 hours until now)')
    .option('--owner <owner>', 'only customers of this owner')
    .option('--segment <segment>', 'only customers in this segment')
    .option('--tz <zone>', 'time zone for the date', Intl.DateTimeFormat().resolvedOptions().timeZone)
    .option('--html', "print the digest email's HTML part (to open in a browser)")
    .action(
      action<[{ owner?: string; segment?: string; tz: string; html?: boolean }]>(async (ctx, io, o) => {
        if (!isValidTimeZone(o.tz)) throw validationError(`unknown time zone: ${o.tz}`, [{ field: 'tz', message: 'unknown time zone' }]);
        const d: DigestData = await buildDigest(
          ctx.database.readDb,
          { slot: new Date(), timeZone: o.tz, owner: o.owner ?? null, segment: o.segment ?? null, late: false },
          digestOptions(ctx),
        );
        if (o.html) io.out(renderDigestEmail(d).html);
        else io.print(d, renderDigestText);
      }),
    );
}
