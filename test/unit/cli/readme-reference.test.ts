// The README's CLI reference is literally true: every command it lists exists, and every command
// the program has is listed. (Each command is run by the test of its area, through the real CLI.)
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { completeProgram } from '../../../src/cli/program.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const start = readme.indexOf('## CLI reference');
const reference = readme.slice(start, readme.indexOf('\n## ', start + 5));

/** "customers get" from "`npx rapport customers get ID|EMAIL`": the words before the first argument or option. */
function commandsInReference(): string[] {
  const out = new Set<string>();
  // The first cell of each row: up to the first "|" that is not escaped.
  for (const row of reference.matchAll(/^\| (.*?[^\\]) \| /gm)) {
    for (const m of row[1]!.matchAll(/`npx rapport ([^`]+)`/g)) {
      const words: string[] = [];
      for (const w of m[1]!.split(/\s+/)) {
        if (!/^[a-z][a-z-]*$/.test(w)) break;
        words.push(w);
      }
      out.add(words.join(' '));
    }
  }
  return [...out].sort();
}

function leaves(cmd: Command, prefix: string[] = []): string[] {
  return cmd.commands.flatMap((c) => (c.commands.length ? leaves(c, [...prefix, c.name()]) : [[...prefix, c.name()].join(' ')]));
}

describe('the README CLI reference', () => {
  it('lists exactly the commands the program has', async () => {
    expect(commandsInReference()).toEqual(leaves(await completeProgram()).sort());
  }, 120_000); // loads every command module
});
