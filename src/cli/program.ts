// The `rapport` command line. Each area registers its commands; a new area adds one line to `areas`.
//
// Areas are loaded lazily: `rapport customers list` imports only the modules that define the
// `customers` command, not Slack, mail, analytics and the rest. That halves the start of a
// one-shot command (a cron job, a script, a test), which is spent loading modules, not working.
// `rapport --help` (or no command, or an unknown one) loads none: it lists the commands from a
// table of their names and descriptions (`commandSummaries`), which a unit test keeps in step with
// what the areas register.
import { readFileSync } from 'node:fs';
import { Command, Help } from 'commander';

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

/**
 * Each top-level command as `rapport --help` lists it (name with its options and arguments, and its
 * description), in the order the areas register them: help without loading every command module
 * (seconds) first. test/unit/cli/program.test.ts fails when this differs from the commands.
 */
export const commandSummaries: readonly (readonly [term: string, description: string])[] = [
  ['serve [options]', 'start the HTTP service (API, webhooks, Slack) on HOST:PORT'],
  ['slack', 'the Slack app: manifest and connection check'],
  ['review', 'messages capture could not attach to a customer'],
  ['customers', 'customers: get, list, create, update, merge, export and erase'],
  ['staff', 'our own people: never matched as customers'],
  ['inbox', 'messages accepted by the channels, and what capture made of them'],
  ['communications', 'captured messages'],
  ['migrate', 'apply database migrations (also done automatically at start)'],
  ['user', 'people who sign in to the web console (roles: viewer < agent < admin)'],
  ['backup <file>', 'write a consistent backup of the whole database to FILE (while the service runs)'],
  ['restore [options] <file>', 'restore a backup into an empty database, in one transaction, checked against its manifest'],
  ['token', 'API tokens for the HTTP API (Authorization: Bearer rpt_…)'],
  ['import', 'import customers or orders from a CSV file'],
  ['ingest', 'capture messages from files'],
  ['jobs', 'scheduled and queued jobs'],
  ['digest', 'daily digests to Slack and email'],
  ['demo [options]', 'load a bundled sample into a fresh embedded database and show a card, keywords, segments and today\'s digest'],
  ['mailbox', 'IMAP mailboxes to capture email from'],
  ['sync', 'fetch messages from a channel'],
  ['webhook', 'webhook sources (POST /webhooks/NAME, signed with the source\'s secret)'],
  ['kinds', 'the learned message kind and sentiment classifier'],
  ['keywords [options]', 'top keywords (TF-IDF, words and two-word phrases) overall, for a customer or a segment, or trending terms'],
  ['segments', 'customer segments (k-means over RFM, communications, sentiment, issues)'],
  ['value', 'customer value tiers (decision tree)'],
  ['vectors', 'word vectors for similarity'],
  ['similar [options] [text...]', 'similar past communications (English and Chinese)'],
  ['fx', 'exchange rates into the reporting currency (RAPPORT_REPORTING_CURRENCY) for revenue in analytics'],
  ['lookup <query...>', 'the customer card (as /crm lookup shows it): by email, domain, phone, name or company; several matches → a numbered list'],
  ['search [options] <text...>', 'full-text search over communications, best match first (Chinese and English; "phrases", -exclude, or)'],
  ['status', 'is everything working? database and migrations, mailboxes, webhooks, Slack, jobs; exit 1 when something needs attention'],
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

/** The program with every area loaded: every command itself, not its summary (tests that check them all). */
export async function completeProgram(json = false): Promise<Command> {
  const program = baseProgram();
  for (const area of areas) (await area.load())(program);
  conciseErrors(program, json);
  return program;
}

/**
 * Placeholders for the top-level commands, named and described as in `commandSummaries`: enough for
 * the program's help, and for commander to name the commands that exist after an unknown one.
 */
function summarize(program: Command): void {
  const terms = new Map<string, string>();
  for (const [term, description] of commandSummaries) {
    const name = term.split(' ')[0]!;
    terms.set(name, term);
    program.command(name).description(description);
  }
  const standard = new Help();
  program.configureHelp({ subcommandTerm: (cmd) => terms.get(cmd.name()) ?? standard.subcommandTerm(cmd) });
}

/**
 * The program for these arguments (`process.argv.slice(2)`): every area that defines the named
 * command (for `help NAME`, that command), or, without a known command, the summaries of all.
 */
export async function createProgram(args: string[]): Promise<Command> {
  const program = baseProgram();
  const name = commandName(args);
  const wanted = name === 'help' ? commandName(args.slice(args.indexOf('help') + 1)) : name;
  const named = areas.filter((a) => wanted !== undefined && a.commands.includes(wanted));
  const versionOnly = name === undefined && args.some((a) => a === '-V' || a === '--version');
  if (named.length > 0) for (const area of named) (await area.load())(program);
  else if (!versionOnly) summarize(program);
  conciseErrors(program, args.includes('--json'));
  return program;
}
