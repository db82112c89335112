// Entry point of the `rapport` command (and `npm start`, which runs `rapport serve`).
// Only the command line itself is loaded up front: `rapport --version` needs nothing else, and a
// command loads its own modules (program.ts); the failure reporter comes in when something failed.
import { createProgram } from './cli/program.js';
import { favourSmallHeaps, smallHeapsWanted } from './heap-tuning.js';

// Decided before any work, from DATABASE_URL and RAPPORT_SMALL_HEAPS (heap-tuning.ts; both are in
// config.ts's schema, which checks them again when the configuration is read).
if (smallHeapsWanted()) favourSmallHeaps();

const json = process.argv.includes('--json');

/** Exits once what was written to stdout and stderr is out (a pipe may still hold some on macOS). */
async function exitWhenFlushed(): Promise<void> {
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((resolve) => s.write('', () => resolve()))));
  process.exit();
}

createProgram(process.argv.slice(2))
  .then((program) => program.parseAsync(process.argv))
  .then(async () => {
    // A one-shot command is done when its action returns: exit without waiting for the engine's
    // background work (runner.ts, oneShotFinished). A long-running one (serve) keeps the process.
    if ((await import('./cli/runner.js')).oneShotFinished()) await exitWhenFlushed();
  })
  .catch(async (e: unknown) => (await import('./cli/runner.js')).reportFailure(e, json));
