// Shared plumbing for CLI commands: one context per invocation, `--json` output, and failures as a
// single line on stderr with a non-zero exit code (2 for bad input and configuration, 1 for
// everything else).
import type { Command } from 'commander';
import { loadConfig, ConfigError } from '../config.js';
import { createContext, type AppContext } from '../context.js';
import { isRapportError } from '../core/errors.js';
import { SecretBoxError } from '../core/secret-box.js';
import { createLogger } from '../log.js';
import { safeError } from '../log-serializers.js';
import { openDataDir } from '../store/data-dir.js';

export interface CommandIo {
  /** True when --json was given: print machine-readable output only. */
  json: boolean;
  out(text: string): void;
  /** Print a value: as JSON with --json, else with the human formatter. */
  print<T>(value: T, human: (v: T) => string): void;
  /** Progress and notes for people; goes to stderr so stdout stays clean for pipes. */
  note(text: string): void;
}

export type Action<A extends unknown[]> = (ctx: AppContext, io: CommandIo, ...args: A) => Promise<void | number>;

let sharedContext: Promise<AppContext> | null = null;

export interface ContextOptions {
  /** The command, for the data-directory lock (`token create`); its holder is named to others. */
  command?: string;
  /** `rapport serve`: owns an embedded data directory and shares it with CLI commands. */
  owner?: boolean;
  /** A long-running command (serve) logs at LOG_LEVEL (info by default), as configured. */
  longRunning?: boolean;
}

/**
 * The context for this process (opened once; commands like `serve` keep it). On the embedded
 * database the data directory is locked for this process, or — while `rapport serve` holds it —
 * reached through that server (src/store/data-dir.ts).
 */
export function openContext(opts: ContextOptions = {}): Promise<AppContext> {
  if (!sharedContext) {
    const config = loadConfig();
    // One-shot commands log warnings and worse to stderr unless LOG_LEVEL says otherwise; a
    // long-running one (serve) logs at LOG_LEVEL, info by default, as configured.
    const level = opts.longRunning ? config.LOG_LEVEL : (process.env.LOG_LEVEL ?? 'warn');
    // Logs go to stderr, so stdout stays the command's output; pretty when stderr is a terminal.
    const log = createLogger(level, process.stderr);
    const embedded = !config.DATABASE_URL && !config.RAPPORT_DATA_DIR.startsWith('memory://');
    sharedContext = embedded
      ? openDataDir({ dataDir: config.RAPPORT_DATA_DIR, command: opts.command ?? 'cli', owner: opts.owner }).then(async (database) => {
          try {
            return await createContext(config, log, database);
          } catch (e) {
            await database.close();
            throw e;
          }
        })
      : createContext(config, log);
  }
  return sharedContext;
}

/** `token create` for the command object commander hands an action. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export function makeIo(json: boolean): CommandIo {
  return {
    json,
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    print(value, human) {
      process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human(value)}\n`);
    },
    note: (text) => {
      if (!json) process.stderr.write(`${text}\n`);
    },
  };
}

let finished = false;

/**
 * True once a one-shot command's action has run and closed its context: nothing of the command is
 * left to wait for, so the process may exit (main.ts) instead of first idling until V8 has worked
 * through its queue of background optimizations of PGlite's WebAssembly (1–2 s at load 10 on 2 cores).
 */
export function oneShotFinished(): boolean {
  return finished;
}

/** Wraps a command action: opens the context, runs, closes, and turns errors into exit codes. */
export function action<A extends unknown[]>(fn: Action<A>, opts: { keepOpen?: boolean; owner?: boolean; longRunning?: boolean } = {}) {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const json = Boolean(command.optsWithGlobals().json);
    const io = makeIo(json);
    let ctx: AppContext | null = null;
    try {
      ctx = await openContext({ command: commandPath(command), owner: opts.owner, longRunning: opts.longRunning ?? false });
      const code = await fn(ctx, io, ...(args.slice(0, -1) as A));
      if (!opts.keepOpen) await ctx.close();
      process.exitCode = typeof code === 'number' ? code : 0;
      finished = !opts.keepOpen;
    } catch (e) {
      // A failed command closes even when it meant to keep running (serve): nothing may hold the data directory.
      if (ctx) await ctx.close().catch(() => {});
      reportFailure(e, json);
      finished = true;
    }
  };
}

/** Codes that mean the input or the configuration must change (exit 2); anything else exits 1. */
const badInputCodes = new Set(['validation', 'config_invalid', 'secret_key_missing', 'secret_key_wrong']);

export function exitCodeFor(code: string): number {
  return badInputCodes.has(code) ? 2 : 1;
}

export function reportFailure(e: unknown, json: boolean): void {
  const code = isRapportError(e) || e instanceof ConfigError || e instanceof SecretBoxError ? e.code : 'internal';
  // An unexpected error's message may quote a failed query's parameters: print what is safe of it.
  const safe = safeError(e);
  const message = code === 'internal' ? [safe.message, safe.cause?.message].filter(Boolean).join(': ') : e instanceof Error ? e.message : String(e);
  const details = isRapportError(e) && e.details ? { details: e.details } : {};
  if (json) process.stderr.write(`${JSON.stringify({ error: { code, message, ...details } })}\n`);
  else process.stderr.write(`rapport: ${message}\n`);
  if (code === 'internal' && process.env.RAPPORT_DEBUG && safe.stack) process.stderr.write(`${safe.stack}\n`);
  process.exitCode = exitCodeFor(code);
}

/** The command group `name` (e.g. `customers`), created on first use: several areas add to one group. */
export function commandGroup(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}
