import { describe, expect, it } from 'vitest';
import { areas, baseProgram, commandName, commandSummaries, completeProgram, createProgram } from '../../../src/cli/program.js';

const topLevel = (p: { commands: readonly { name(): string }[] }) => p.commands.map((c) => c.name()).sort();
const subcommands = (p: Awaited<ReturnType<typeof createProgram>>, name: string) =>
  p.commands.find((c) => c.name() === name)!.commands.map((c) => c.name()).sort();

describe('the rapport program', () => {
  it('declares, for every area, exactly the top-level commands it registers', async () => {
    for (const area of areas) {
      const program = baseProgram();
      (await area.load())(program);
      expect(topLevel(program)).toEqual([...area.commands].sort());
    }
  }, 120_000); // loads every command module

  it('loads every area that adds to the named command, and only those', async () => {
    const program = await createProgram(['--json', 'customers', 'list']);
    expect(topLevel(program)).toEqual(['communications', 'customers', 'review', 'staff']);
    expect(subcommands(program, 'customers')).toEqual(['create', 'erase', 'export', 'get', 'list', 'merge', 'update']);
  });

  it('loads no area for --version', async () => {
    expect(topLevel(await createProgram(['--version']))).toEqual([]);
    expect(topLevel(await createProgram(['-V']))).toEqual([]);
  });

  it('lists every command for help, no command, or an unknown command, from the summaries', async () => {
    const all = [...new Set(areas.flatMap((a) => a.commands))].sort();
    for (const args of [[], ['--help'], ['nonsense'], ['help'], ['help', 'nonsense']]) {
      const program = await createProgram(args);
      expect(topLevel(program)).toEqual(all);
      // Placeholders only: no area was loaded, so no command has subcommands or an action.
      expect(program.commands.every((c) => c.commands.length === 0)).toBe(true);
    }
  });

  it('summarizes the commands exactly as the areas register them: the same help, word for word', async () => {
    const loaded = await completeProgram();
    const help = loaded.createHelp();
    expect(commandSummaries).toEqual(loaded.commands.map((c) => [help.subcommandTerm(c), c.description()]));
    expect((await createProgram(['--help'])).helpInformation()).toBe(loaded.helpInformation());
  }, 120_000); // loads every command module

  it('loads the areas of the command that `help NAME` asks about', async () => {
    expect(topLevel(await createProgram(['help', 'customers']))).toEqual(['communications', 'customers', 'review', 'staff']);
  });

  it('finds the command after global options', () => {
    expect(commandName(['--json', 'ingest', 'eml', 'x.eml'])).toBe('ingest');
    expect(commandName(['--help'])).toBeUndefined();
  });
});
