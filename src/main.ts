// Entry point of the `rapport` command (and `npm start`, which runs `rapport serve`).
import { createProgram } from './cli/program.js';
import { reportFailure } from './cli/runner.js';

createProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => reportFailure(e, process.argv.includes('--json')));
