// `rapport customers create|update`: the API's POST and PATCH /customers from the command line,
// through the same normalization (normalizeCustomer) and repositories, in one transaction each.
import type { Command } from 'commander';
import { normalizeCustomer, type CustomerInput } from '../../core/customers.js';
import { notFound, validationError } from '../../core/errors.js';
import { createCustomer, getCustomer, type CustomerView } from '../../store/customers-repo.js';
import { patchCustomer, type CustomerPatch } from '../../store/customers-update.js';
import { customerIdOf } from '../resolve-ids.js';
import { action, commandGroup, type CommandIo } from '../runner.js';
import { describeCustomer } from './customers.js';

interface Flags {
  name?: string;
  email?: string[];
  phone?: string[];
  slackUser?: string[];
  externalId?: string;
  company?: string;
  domain?: string[];
  owner?: string;
  tag?: string[];
  attribute?: string[];
}

const repeat = (v: string, prev: string[] | undefined) => [...(prev ?? []), v];

function withFields(cmd: Command, lists: 'add' | 'replace'): Command {
  const each = lists === 'replace' ? ' (repeat it; replaces the whole list)' : ' (repeat it for several)';
  return cmd
    .option('--email <email>', `an email address${each}`, repeat)
    .option('--phone <phone>', `a phone number, +country code or in RAPPORT_DEFAULT_REGION${each}`, repeat)
    .option('--slack-user <id>', `a Slack user id (U…)${each}`, repeat)
    .option('--external-id <id>', 'your id for this customer (unique)')
    .option('--company <name>', 'company name (created when new)')
    .option('--domain <domain>', `a company email domain${each}`, repeat)
    .option('--owner <owner>', 'who owns the relationship')
    .option('--tag <tag>', `a tag${each}`, repeat)
    .option('--attribute <key=value>', 'a free-form attribute (repeat it; in update, key= removes the key)', repeat);
}

function attributesOf(pairs: string[] | undefined): Record<string, unknown> | undefined {
  if (!pairs) return undefined;
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq < 1) throw validationError(`--attribute ${JSON.stringify(p)} is not key=value`, [{ field: 'attribute', message: 'key=value' }]);
    const value = p.slice(eq + 1);
    out[p.slice(0, eq)] = value === '' ? null : value;
  }
  return out;
}

/** An empty text clears the field (update); undefined leaves it alone. */
const clearable = (v: string | undefined) => (v === undefined ? undefined : v.trim() === '' ? null : v);

function printWritten(io: CommandIo, customer: CustomerView, warnings: string[], verb: string): void {
  io.print({ ...customer, warnings }, (c) => `${verb} customer ${c.id}\n${describeCustomer(c)}`);
  for (const w of warnings) io.note(`warning: ${w}`);
}

export function registerCustomersWrite(program: Command): void {
  const customers = commandGroup(program, 'customers', 'look up and manage customers');

  withFields(customers.command('create').description('create a customer (as POST /api/v1/customers)').requiredOption('--name <name>', 'the customer\'s name'), 'add').action(
    action<[Flags]>(async (ctx, io, f) => {
      const input: CustomerInput = {
        name: f.name, emails: f.email, phones: f.phone, slackUsers: f.slackUser, externalId: f.externalId, company: f.company,
        domains: f.domain, owner: f.owner, tags: f.tag, attributes: attributesOf(f.attribute) as Record<string, unknown> | undefined,
      };
      const n = normalizeCustomer(input, { defaultRegion: ctx.config.RAPPORT_DEFAULT_REGION });
      const id = await ctx.database.db.transaction((tx) => createCustomer(tx, n));
      printWritten(io, (await getCustomer(ctx.database.db, id))!, n.warnings, 'created');
    }),
  );

  withFields(
    customers
      .command('update <customer>')
      .description('change a customer (as PATCH /api/v1/customers/ID): options given replace what is stored; --owner "" clears')
      .option('--name <name>', 'the customer\'s name'),
    'replace',
  ).action(
    action<[string, Flags]>(async (ctx, io, key, f) => {
      const id = await customerIdOf(ctx, key);
      const patch: CustomerPatch = {
        name: f.name, emails: f.email, phones: f.phone, slackUsers: f.slackUser, externalId: clearable(f.externalId), company: clearable(f.company),
        domains: f.domain, owner: clearable(f.owner), tags: f.tag, attributes: attributesOf(f.attribute),
      };
      if (Object.values(patch).every((v) => v === undefined)) throw validationError('nothing to change: give at least one option (see rapport customers update --help)', [{ field: 'options', message: 'none given' }]);
      const result = await ctx.database.db.transaction((tx) => patchCustomer(tx, id, patch, ctx.config.RAPPORT_DEFAULT_REGION));
      if (!result) throw notFound('customer', key);
      await ctx.shared.cards.forget([id]);
      printWritten(io, (await getCustomer(ctx.database.db, id))!, result.warnings, 'updated');
    }),
  );
}
