// The `rapport` command line. Each area registers its commands here; a new area adds one line.
import { Command } from 'commander';
import { registerMigrate } from './commands/migrate.js';
import { registerServe } from './commands/serve.js';

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
  registerMigrate(program);
  return program;
}
