// `rapport user add|list|remove|reset-password`: people who sign in to the web console.
import type { Command } from 'commander';
import { addUser, generatePassword, removeUser, resetPassword } from '../../console/users.js';
import { RapportError } from '../../core/errors.js';
import { listUsers, userRoles, type ConsoleUser } from '../../store/console-users-repo.js';
import { formatTable } from '../format-table.js';
import { action } from '../runner.js';
import { readSecret } from './read-secret.js';
import { actor } from './review.js';

const when = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');

/** --password-stdin, else a hidden prompt on a terminal, else a generated password (printed once). */
async function passwordFrom(opts: { passwordStdin?: boolean }): Promise<{ password: string; generated: boolean }> {
  if (opts.passwordStdin || process.stdin.isTTY) {
    const password = await readSecret({ stdin: Boolean(opts.passwordStdin), prompt: 'Password (empty: generate one): ' });
    if (password) return { password, generated: false };
    if (opts.passwordStdin) throw new RapportError('validation', 'no password on stdin');
  }
  return { password: generatePassword(), generated: true };
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('people who sign in to the web console (roles: viewer < agent < admin)');

  user
    .command('add <email>')
    .description('add a console user; without --password-stdin or a terminal a password is generated and printed once')
    .requiredOption('--role <role>', userRoles.join(' | '))
    .option('--password-stdin', 'read the password from stdin')
    .option('--by <name>', 'who is acting, for the audit log')
    .action(
      action<[string, { role: string; passwordStdin?: boolean; by?: string }]>(async (ctx, io, email, opts) => {
        if (!userRoles.includes(opts.role as (typeof userRoles)[number])) throw new RapportError('validation', `--role must be one of ${userRoles.join(', ')}`);
        const { password, generated } = await passwordFrom(opts);
        const created = await addUser(ctx.database.db, { email, role: opts.role, password }, { name: actor(ctx, opts.by) });
        io.print({ ...created, ...(generated ? { password } : {}) }, (u) => `added ${u.email} (${u.role})${generated ? `\npassword: ${password}\nIt is not shown again.` : ''}`);
      }),
    );

  user
    .command('list')
    .description('console users with role, last sign-in and open sessions')
    .action(
      action(async (ctx, io) => {
        const users = await listUsers(ctx.database.db);
        io.print(users, (us: ConsoleUser[]) =>
          us.length === 0
            ? 'no console users yet: rapport user add EMAIL --role admin'
            : formatTable(['ID', 'EMAIL', 'ROLE', 'LAST SIGN-IN', 'SESSIONS', 'CREATED'], us.map((u) => [u.id, u.email, u.role, when(u.lastSignInAt), String(u.activeSessions), when(u.createdAt)])),
        );
      }),
    );

  user
    .command('remove <user>')
    .description('remove a user (by email or id); their sessions end at once')
    .option('--by <name>', 'who is acting, for the audit log')
    .action(
      action<[string, { by?: string }]>(async (ctx, io, key, opts) => {
        const removed = await removeUser(ctx.database.db, key, { name: actor(ctx, opts.by) });
        io.print(removed, (u) => `removed ${u.email}`);
      }),
    );

  user
    .command('reset-password <user>')
    .description('set a new password (generated and printed once unless --password-stdin) and sign the user out everywhere')
    .option('--password-stdin', 'read the new password from stdin')
    .option('--by <name>', 'who is acting, for the audit log')
    .action(
      action<[string, { passwordStdin?: boolean; by?: string }]>(async (ctx, io, key, opts) => {
        const { password, generated } = opts.passwordStdin ? await passwordFrom(opts) : { password: null, generated: true };
        const r = await resetPassword(ctx.database.db, key, password, { name: actor(ctx, opts.by) });
        io.print(
          { id: r.id, email: r.email, sessionsRevoked: r.sessionsRevoked, ...(generated ? { password: r.password } : {}) },
          (x) => `new password set for ${x.email}; ${x.sessionsRevoked} session(s) signed out${generated ? `\npassword: ${r.password}\nIt is not shown again.` : ''}`,
        );
      }),
    );
}
