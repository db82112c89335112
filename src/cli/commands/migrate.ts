import type { Command } from 'commander';
import { action } from '../runner.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations (also done automatically at start)')
    .action(
      action(async (ctx, io) => {
        // createContext has migrated already; say where.
        io.print({ migrated: true, database: ctx.database.kind, location: ctx.database.location }, (r) => `migrated ${r.database} (${r.location})`);
      }),
    );
}
