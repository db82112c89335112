import type { Command } from 'commander';
import { allJobs } from '../../jobs/index.js';
import { startScheduler } from '../../jobs/scheduler.js';
import { formatTable } from '../format-table.js';
import { action } from '../runner.js';

export function registerJobs(program: Command): void {
  const jobs = program.command('jobs').description('scheduled and queued jobs');
  jobs
    .command('list')
    .description('every job with its state, next run and last failure')
    .option('--name <name>', 'only this job')
    .action(
      action<[{ name?: string }]>(async (ctx, io, opts) => {
        const scheduler = await startScheduler(ctx, allJobs(ctx), { process: false });
        try {
          const rows = await scheduler.list(opts.name ? { name: opts.name } : {});
          io.print(rows, (rs) =>
            rs.length === 0
              ? 'no jobs yet (they are scheduled when `rapport serve` starts)'
              : formatTable(
                  ['NAME', 'STATE', 'NEXT RUN', 'LAST FINISHED', 'FAILURES', 'LAST FAILURE'],
                  rs.map((r) => [r.name, r.state, r.nextRunAt ?? '-', r.lastFinishedAt ?? '-', String(r.failCount ?? 0), r.failReason ?? '-']),
                  { maxWidth: { 5: 80 } },
                ),
          );
        } finally {
          await scheduler.stop();
        }
      }),
    );
  jobs
    .command('run <name>')
    .description('queue a job now (a running `rapport serve` picks it up)')
    .action(
      action<[string]>(async (ctx, io, name) => {
        const scheduler = await startScheduler(ctx, allJobs(ctx), { process: false });
        try {
          await scheduler.now(name);
          io.print({ queued: name }, () => `queued ${name}`);
        } finally {
          await scheduler.stop();
        }
      }),
    );
}
