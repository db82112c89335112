// `rapport token create|list|revoke`: API tokens for /api/v1.
import type { Command } from 'commander';
import { RapportError, notFound } from '../../core/errors.js';
import { createToken, listTokens, revokeToken, tokenScopes, type TokenScope, type TokenView } from '../../store/tokens-repo.js';
import { formatTable } from '../format-table.js';
import { maybeIdOf } from '../resolve-ids.js';
import { action, commandGroup } from '../runner.js';

const when = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');

export function registerToken(program: Command): void {
  const token = commandGroup(program, 'token', 'API tokens for the HTTP API (Authorization: Bearer rpt_…)');

  token
    .command('create')
    .description('create a token; it is printed once and cannot be shown again')
    .requiredOption('--name <name>', 'what the token is for, e.g. "zapier" or "ci"')
    .requiredOption('--scope <scope>', `${tokenScopes.join(' | ')} (read < write < admin)`)
    .action(
      action<[{ name: string; scope: string }]>(async (ctx, io, opts) => {
        if (!tokenScopes.includes(opts.scope as TokenScope)) {
          throw new RapportError('validation', `--scope must be one of ${tokenScopes.join(', ')}, not ${JSON.stringify(opts.scope)}`);
        }
        const created = await createToken(ctx.database.db, { name: opts.name, scope: opts.scope as TokenScope });
        io.print(created, (t) => t.token);
        io.note(`created token "${created.name}" (scope ${created.scope}, id ${created.id}). Store it now: it is not shown again.`);
      }),
    );

  token
    .command('list')
    .description('list tokens (never the tokens themselves: prefix tells them apart)')
    .action(
      action(async (ctx, io) => {
        const tokens = await listTokens(ctx.database.db);
        io.print(tokens, (ts: TokenView[]) =>
          ts.length === 0
            ? 'no tokens yet: rapport token create --name NAME --scope read|write|admin'
            : formatTable(
                ['ID', 'NAME', 'SCOPE', 'PREFIX', 'CREATED', 'LAST USED', 'REVOKED'],
                ts.map((t) => [t.id, t.name, t.scope, `${t.prefix}…`, when(t.createdAt), when(t.lastUsedAt), when(t.revokedAt)]),
              ),
        );
      }),
    );

  token
    .command('revoke <id>')
    .description('revoke a token by id (or by its prefix); requests with it get 401 from now on')
    .action(
      action<[string]>(async (ctx, io, id) => {
        const revoked = await revokeToken(ctx.database.db, id.startsWith('rpt_') ? id : ((await maybeIdOf(ctx, 'token', id)) ?? id));
        if (!revoked) throw notFound('token', id);
        io.print(revoked, (t) => `revoked token "${t.name}" (${t.id}) at ${when(t.revokedAt)}`);
      }),
    );
}
