import type { Command } from 'commander';
import { build } from '../../http/app.js';
import { listen } from '../../http/server.js';
import { allJobs } from '../../jobs/index.js';
import { startEmailSync } from '../../jobs/email-sync.js';
import { startScheduler } from '../../jobs/scheduler.js';
import { action } from '../runner.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP service (API, webhooks, Slack) on HOST:PORT')
    .option('--port <port>', 'port (overrides PORT)')
    .option('--host <host>', 'host (overrides HOST)')
    .action(
      action<[{ port?: string; host?: string }]>(
        async (ctx, io, opts) => {
          const app = await build({ ctx });
          const address = await listen(app, opts.host ?? ctx.config.HOST, opts.port ? Number(opts.port) : ctx.config.PORT);
          const scheduler = ctx.config.RAPPORT_JOBS ? await startScheduler(ctx, allJobs(ctx)) : null;
          // Email: IDLE on every configured mailbox (RAPPORT_EMAIL_SYNC=off to leave it to cron).
          const emailSync = ctx.config.RAPPORT_EMAIL_SYNC === 'off'
            ? null
            : await startEmailSync(ctx).catch((e: unknown) => {
                if (ctx.config.RAPPORT_EMAIL_SYNC === 'on') throw e;
                ctx.log.warn({ code: (e as { code?: string }).code }, 'email sync not started: mailbox configuration is invalid');
                return null;
              });
          io.note(`rapport listening on ${address} (database: ${ctx.database.kind}, ${ctx.database.location})`);
          let stopping = false;
          const stop = async (signal: string) => {
            if (stopping) return;
            stopping = true;
            ctx.log.info({ signal }, 'shutting down');
            await app.close();
            await emailSync?.stop();
            await scheduler?.stop();
            await ctx.close();
            process.exitCode = 0;
          };
          process.once('SIGTERM', () => void stop('SIGTERM'));
          process.once('SIGINT', () => void stop('SIGINT'));
        },
        { keepOpen: true },
      ),
    );
}
