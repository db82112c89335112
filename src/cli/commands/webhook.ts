// `rapport webhook …`: the sources that may POST to /webhooks/:name. The secret is printed once, at
// add and at rotate; the sender signs with it (README, "Webhooks").
import type { Command } from 'commander';
import { generateWebhookSecret, isWebhookPreset, webhookPresets } from '../../channels/webhook.js';
import { sourceNamePattern, sourceNameRule } from '../../core/webhook-sources.js';
import { validationError } from '../../core/errors.js';
import type { AppContext } from '../../context.js';
import { secretBoxFor } from '../../secret-key.js';
import {
  createWebhookSource, listWebhookSources, removeWebhookSource, rotateWebhookSecret, type WebhookSourceScope, type WebhookSourceWithSecret,
} from '../../store/webhook-sources-repo.js';
import { formatTable } from '../format-table.js';
import { action } from '../runner.js';

function checkName(name: string): void {
  if (!sourceNamePattern.test(name)) throw validationError(`invalid source name "${name}"`, [{ field: 'name', message: sourceNameRule }]);
}

function scopeOf(ctx: AppContext): WebhookSourceScope {
  return { configured: ctx.config.RAPPORT_WEBHOOK_SOURCES, box: secretBoxFor(ctx.config, ctx.database) };
}

function endpoint(ctx: AppContext, name: string): string {
  return `http://${ctx.config.HOST}:${ctx.config.PORT}/webhooks/${name}`;
}

function withSecret(ctx: AppContext, s: WebhookSourceWithSecret) {
  return { name: s.name, preset: s.preset, secret: s.secret, url: endpoint(ctx, s.name), previousSecretExpiresAt: s.previousSecretExpiresAt };
}

export function registerWebhook(program: Command): void {
  const webhook = program.command('webhook').description('webhook sources (POST /webhooks/NAME, signed with the source\'s secret)');
  webhook
    .command('add <name>')
    .description('add a source and print its secret (shown once)')
    .requiredOption('--preset <preset>', `payload mapping: ${webhookPresets.join(', ')}`)
    .action(
      action<[string, { preset: string }]>(async (ctx, io, name, opts) => {
        checkName(name);
        if (!isWebhookPreset(opts.preset)) {
          throw validationError(`unknown preset "${opts.preset}"`, [{ field: 'preset', message: `one of ${webhookPresets.join(', ')}` }]);
        }
        const created = await createWebhookSource(ctx.database.db, scopeOf(ctx), { name, preset: opts.preset, secret: generateWebhookSecret() });
        io.print(withSecret(ctx, created), (s) =>
          [
            `added webhook source ${s.name} (preset ${s.preset})`,
            `secret: ${s.secret}`,
            'The secret is shown only now: give it to the sender, which signs each request with it.',
            `deliver to: POST ${s.url}`,
          ].join('\n'),
        );
      }),
    );
  webhook
    .command('list')
    .description('every source with its preset (secrets are not shown)')
    .action(
      action(async (ctx, io) => {
        const sources = await listWebhookSources(ctx.database.db, scopeOf(ctx));
        io.print(sources, (rows) =>
          rows.length === 0
            ? 'no webhook sources (add one with `rapport webhook add NAME --preset generic`)'
            : formatTable(
                ['NAME', 'PRESET', 'ORIGIN', 'SECRET', 'ADDED', 'ROTATED', 'PREVIOUS SECRET UNTIL'],
                rows.map((s) => [s.name, s.preset, s.origin, s.secretPrefix ?? '(sealed)', s.createdAt ?? '-', s.rotatedAt ?? '-', s.previousSecretExpiresAt ?? '-']),
              ),
        );
      }),
    );
  webhook
    .command('remove <name>')
    .description('remove a source: its deliveries are refused from now on (404)')
    .action(
      action<[string]>(async (ctx, io, name) => {
        await removeWebhookSource(ctx.database.db, scopeOf(ctx), name);
        io.print({ removed: name }, () => `removed webhook source ${name}`);
      }),
    );
  webhook
    .command('rotate <name>')
    .description('give a source a new secret (printed once); the old one keeps working during --grace')
    .option('--grace <hours>', 'hours the previous secret stays valid (0: revoke it now)', '24')
    .action(
      action<[string, { grace: string }]>(async (ctx, io, name, opts) => {
        const hours = Number(opts.grace);
        if (!Number.isFinite(hours) || hours < 0 || hours > 24 * 30) {
          throw validationError(`invalid --grace "${opts.grace}"`, [{ field: 'grace', message: 'hours from 0 to 720' }]);
        }
        const rotated = await rotateWebhookSecret(ctx.database.db, scopeOf(ctx), {
          name,
          secret: generateWebhookSecret(),
          graceSeconds: Math.round(hours * 3600),
        });
        io.print(withSecret(ctx, rotated), (s) =>
          [
            `new secret for ${s.name}: ${s.secret}`,
            s.previousSecretExpiresAt ? `The previous secret stays valid until ${s.previousSecretExpiresAt}.` : 'The previous secret is revoked.',
          ].join('\n'),
        );
      }),
    );
}
