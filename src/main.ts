// Entry point of the `rapport` command (and `npm start`, which runs `rapport serve`).
import { createProgram } from './cli/program.js';
import { reportFailure } from './cli/runner.js';

const json = process.argv.includes('--json');
createProgram(process.argv.slice(2))
  .then((program) => program.parseAsync(process.argv))
  .catch((e: unknown) => reportFailure(e, json));
