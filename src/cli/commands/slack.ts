// `rapport slack manifest` prints the app manifest for this deployment (URLs and command filled in);
// `rapport slack check` asks Slack who the configured token is (auth.test).
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { RapportError, validationError } from '../../core/errors.js';
import { channelsOf } from '../../channels/index.js';
import { action } from '../runner.js';

const manifestPath = new URL('../../../slack-manifest.yml', import.meta.url);

export function registerSlack(program: Command): void {
  const slack = program.command('slack').description('the Slack app: manifest and connection check');
  slack
    .command('manifest')
    .description('print slack-manifest.yml with your public URL and slash command filled in')
    .requiredOption('--url <url>', 'public base URL of this service, e.g. https://rapport.acme.com')
    .option('--socket-mode', 'for Socket Mode (no request URLs needed)')
    .action(
      action<[{ url: string; socketMode?: boolean }]>(async (ctx, io, o) => {
        let base: URL;
        try {
          base = new URL(o.url);
        } catch {
          throw validationError(`not a URL: ${o.url}`, [{ field: 'url', message: 'an absolute https URL' }]);
        }
        const origin = `${base.origin}${base.pathname.replace(/\/$/, '')}`;
        // Only the manifest's values: its comment keeps naming the placeholder it tells people to replace.
        let text = (await readFile(manifestPath, 'utf8'))
          .split('\n')
          .map((line) => (line.trimStart().startsWith('#') ? line : line.replaceAll('https://rapport.example.com', origin)))
          .join('\n');
        text = text.replace('- command: /crm', `- command: ${ctx.config.SLACK_COMMAND}`);
        if (o.socketMode) text = text.replace('socket_mode_enabled: false', 'socket_mode_enabled: true');
        io.print({ manifest: text }, (r) => r.manifest);
      }),
    );
  slack
    .command('check')
    .description('check SLACK_BOT_TOKEN against Slack (auth.test) and show the configuration in use')
    .action(
      action(async (ctx, io) => {
        const adapter = await channelsOf(ctx).slack();
        if (!adapter) throw new RapportError('validation', 'Slack is not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (README "Slack")');
        const me = await adapter.api.call<{ team?: string; team_id?: string; user?: string; url?: string }>('auth.test');
        const allowed = ctx.config.SLACK_ALLOWED_TEAM_IDS;
        const result = {
          team: me.team ?? null,
          teamId: me.team_id ?? null,
          bot: me.user ?? null,
          url: me.url ?? null,
          mode: ctx.config.SLACK_SOCKET_MODE ? 'socket' : 'http',
          allowedTeams: allowed,
          teamAllowed: allowed.length === 0 || (me.team_id !== undefined && allowed.includes(me.team_id)),
        };
        io.print(result, (r) =>
          [
            `connected to ${r.team} (${r.teamId}) as @${r.bot}, ${r.mode} mode`,
            r.allowedTeams.length ? `allowed workspaces: ${r.allowedTeams.join(', ')}${r.teamAllowed ? '' : ' — WARNING: this workspace is not among them'}` : 'allowed workspaces: any (SLACK_ALLOWED_TEAM_IDS unset)',
          ].join('\n'),
        );
        return result.teamAllowed ? 0 : 1;
      }),
    );
}
