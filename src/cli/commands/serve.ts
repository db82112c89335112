import type { Command } from 'commander';
import { build } from '../../http/app.js';
import { listen } from '../../http/server.js';
import { allJobs } from '../../jobs/index.js';
import { startEmailSync } from '../../channels/email.js';
import { channelsOf } from '../../channels/index.js';
import { startScheduler } from '../../jobs/scheduler.js';
import type { EmbeddedDatabase } from '../../store/data-dir.js';
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
          // On the embedded database, CLI commands reach it through this process from now on.
          await (ctx.database as EmbeddedDatabase).share?.();
          const app = await build({ ctx });
          const channels = channelsOf(ctx);
          // The capture worker first: messages accepted by the listener are captured from the start.
          await channels.start();
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
            const step = async (what: string, fn: () => Promise<unknown> | undefined) => {
              const t0 = Date.now();
              await fn();
              ctx.log.debug({ ms: Date.now() - t0 }, `stopped ${what}`);
            };
            await step('http', () => app.close());
            await step('email sync', () => emailSync?.stop());
            await step('capture worker', () => channels.stop());
            await step('scheduler', () => scheduler?.stop());
            await step('database', () => ctx.close());
            process.exitCode = 0;
            // Everything of ours is closed now. agenda 6.2 leaves one timer behind: each job run
            // starts a "still alive" check that sleeps lockLifetime/2 (5 minutes) and is not
            // cancelled when the job ends. It does nothing when it wakes, so do not wait for it.
            setTimeout(() => {
              ctx.log.debug({ resources: process.getActiveResourcesInfo() }, 'exiting with timers left by the scheduler');
              process.exit(0);
            }, 1000).unref();
          };
          process.once('SIGTERM', () => void stop('SIGTERM'));
          process.once('SIGINT', () => void stop('SIGINT'));
        },
        { keepOpen: true, owner: true, longRunning: true },
      ),
    );
}
