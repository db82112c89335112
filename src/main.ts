// Entry point of the `rapport` command (and `npm start`, which runs `rapport serve`).
// Only the command line itself is loaded up front: `rapport --version` needs nothing else, and a
// command loads its own modules (program.ts); the failure reporter comes in when something failed.
import { createProgram } from './cli/program.js';

const json = process.argv.includes('--json');
createProgram(process.argv.slice(2))
  .then((program) => program.parseAsync(process.argv))
  .catch(async (e: unknown) => (await import('./cli/runner.js')).reportFailure(e, json));
