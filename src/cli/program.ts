// The `rapport` command line. Each area registers its commands here; a new area adds one line.
import { Command } from 'commander';
import { registerAnalytics } from './commands/analytics.js';
import { registerImport } from './commands/import.js';
import { registerIngest } from './commands/ingest.js';
import { registerDemo } from './commands/demo.js';
import { registerDigest } from './commands/digest.js';
import { registerJobs } from './commands/jobs.js';
import { registerMailbox } from './commands/mailbox.js';
import { registerMigrate } from './commands/migrate.js';
import { registerCustomers } from './commands/customers.js';
import { registerToken } from './commands/token.js';
import { registerServe } from './commands/serve.js';
import { registerSlack } from './commands/slack.js';
import { registerReview } from './commands/review.js';
import { registerCommunications } from './commands/communications.js';
import { registerSyncEmail } from './commands/sync-email.js';
import { registerWebhook } from './commands/webhook.js';

export function createProgram(): Command {
  const program = new Command('rapport')
    .description('Rapport: every customer conversation, attached to the right customer')
    .option('--json', 'machine-readable JSON output')
    .showHelpAfterError()
    .configureOutput({ outputError: (str, write) => write(str) })
    .exitOverride((err) => {
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
  registerServe(program);
  registerSlack(program);
  registerReview(program);
  registerCommunications(program);
  registerMigrate(program);
  registerToken(program);
  registerCustomers(program);
  registerImport(program);
  registerIngest(program);
  registerJobs(program);
  registerDigest(program);
  registerDemo(program);
  registerMailbox(program);
  registerSyncEmail(program);
  registerWebhook(program);
  registerAnalytics(program);
  return program;
}
