// The `rapport` command line. Each area registers its commands; a new area adds one line to `areas`.
//
// Areas are loaded lazily: `rapport customers list` imports only the modules that define the
// `customers` command, not Slack, mail, analytics and the rest. That halves the start of a
// one-shot command (a cron job, a script, a test), which is spent loading modules, not working.
// `rapport --help` (or no command) loads every area.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';

type Register = (program: Command) => void;

export interface CommandArea {
  /** The top-level commands this area defines or adds subcommands to. */
  commands: string[];
  load(): Promise<Register>;
}

export const areas: CommandArea[] = [
  { commands: ['serve'], load: async () => (await import('./commands/serve.js')).registerServe },
  { commands: ['slack'], load: async () => (await import('./commands/slack.js')).registerSlack },
  { commands: ['review', 'customers', 'staff'], load: async () => (await import('./commands/review.js')).registerReview },
  { commands: ['inbox'], load: async () => (await import('./commands/inbox.js')).registerInbox },
  { commands: ['communications'], load: async () => (await import('./commands/communications.js')).registerCommunications },
  { commands: ['migrate'], load: async () => (await import('./commands/migrate.js')).registerMigrate },
  { commands: ['user'], load: async () => (await import('./commands/user.js')).registerUser },
  { commands: ['backup', 'restore'], load: async () => (await import('./commands/backup.js')).registerBackup },
  { commands: ['token'], load: async () => (await import('./commands/token.js')).registerToken },
  { commands: ['customers'], load: async () => (await import('./commands/customers.js')).registerCustomers },
  { commands: ['customers'], load: async () => (await import('./commands/data-rights.js')).registerDataRights },
  { commands: ['import'], load: async () => (await import('./commands/import.js')).registerImport },
  { commands: ['ingest'], load: async () => (await import('./commands/ingest.js')).registerIngest },
  { commands: ['jobs'], load: async () => (await import('./commands/jobs.js')).registerJobs },
  { commands: ['digest'], load: async () => (await import('./commands/digest.js')).registerDigest },
  { commands: ['demo'], load: async () => (await import('./commands/demo.js')).registerDemo },
  { commands: ['mailbox'], load: async () => (await import('./commands/mailbox.js')).registerMailbox },
  { commands: ['sync'], load: async () => (await import('./commands/sync-email.js')).registerSyncEmail },
  { commands: ['webhook'], load: async () => (await import('./commands/webhook.js')).registerWebhook },
  { commands: ['kinds'], load: async () => (await import('./commands/kinds.js')).registerKinds },
  { commands: ['keywords', 'segments', 'value', 'vectors', 'similar'], load: async () => (await import('./commands/analytics.js')).registerAnalytics },
  { commands: ['fx'], load: async () => (await import('./commands/fx.js')).registerFx },
  { commands: ['lookup', 'search'], load: async () => (await import('./commands/lookup.js')).registerLookup },
  { commands: ['customers'], load: async () => (await import('./commands/customers-write.js')).registerCustomersWrite },
  { commands: ['customers', 'communications'], load: async () => (await import('./commands/export.js')).registerExport },
  { commands: ['status'], load: async () => (await import('./commands/status.js')).registerStatus },
];

/** This package's version (package.json), for `rapport --version`. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** The command a user named: the first argument that is not an option (`--json` may come first). */
export function commandName(args: string[]): string | undefined {
  return args.find((a) => !a.startsWith('-'));
}

export function baseProgram(): Command {
  return new Command('rapport')
    .description('Rapport: every customer conversation, attached to the right customer')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--json', 'machine-readable JSON output')
    .exitOverride((err) => {
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
}

/** `rapport customers list` for that command. */
function pathOf(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Usage errors (an unknown option, a missing argument) are bad input like any other: one line
 * naming the problem and one pointing at the command's help (exit 2), or one JSON line with --json.
 */
export function conciseErrors(program: Command, json: boolean): void {
  const visit = (cmd: Command) => {
    const hint = `see ${pathOf(cmd)} --help`;
    cmd.showHelpAfterError(json ? false : hint).configureOutput({
      outputError: (str, write) => {
        const message = str.trim().replace(/^error: /, '').replace(/\n\(Did you mean (.*)\)$/, ' (did you mean $1)');
        write(json ? `${JSON.stringify({ error: { code: 'validation', message, details: { hint } } })}\n` : `rapport: ${message}\n`);
      },
    });
    cmd.commands.forEach(visit);
  };
  visit(program);
}

/** The program for these arguments (`process.argv.slice(2)`): every area that defines the named command, or all of them. */
export async function createProgram(args: string[]): Promise<Command> {
  const program = baseProgram();
  const name = commandName(args);
  const named = areas.filter((a) => name !== undefined && a.commands.includes(name));
  const versionOnly = name === undefined && args.some((a) => a === '-V' || a === '--version');
  // An unknown command loads everything, so commander can list what exists.
  if (!versionOnly) for (const area of named.length > 0 ? named : areas) (await area.load())(program);
  conciseErrors(program, args.includes('--json'));
  return program;
}
