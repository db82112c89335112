// `rapport customers erase ID --yes` (hard delete of their personal data; a tombstone stays). Its
// twin, `customers export ID` (everything held about one person), is in export.ts with the list export.
import type { Command } from 'commander';
import { validationError } from '../../core/errors.js';
import { isUuid } from '../../store/pagination.js';
import type { AppContext } from '../../context.js';
import { action, commandGroup } from '../runner.js';
import { actor, customerIdOf } from './review.js';

/** A uuid as given (a soft-deleted customer can still be exported or erased), else a lookup. */
export const subjectIdOf = (ctx: AppContext, key: string) => (isUuid(key) ? Promise.resolve(key) : customerIdOf(ctx, key));

export function registerDataRights(program: Command): void {
  const customers = commandGroup(program, 'customers', 'look up and manage customers');

  customers
    .command('erase <customer>')
    .description('permanently delete everything held about one customer (GDPR/PIPL erasure); a tombstone with counts remains')
    .option('--yes', 'confirm: this cannot be undone')
    .option('--by <name>', 'who is erasing, for the tombstone (default RAPPORT_USER or the OS user)')
    .action(
      action<[string, { yes?: boolean; by?: string }]>(async (ctx, io, key, opts) => {
        if (!opts.yes) throw validationError('erasing cannot be undone: add --yes to confirm', [{ field: 'yes', message: 'required' }]);
        const { eraseCustomerData } = await import('../../data-rights/erase.js');
        const result = await eraseCustomerData(ctx, await subjectIdOf(ctx, key), actor(ctx, opts.by));
        io.print(result, (r) => {
          const parts = Object.entries(r.counts).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`);
          return `erased customer ${r.customerId}: ${parts.join(', ')}`;
        });
      }),
    );
}
