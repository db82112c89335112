import { describe, expect, it } from 'vitest';
import { areas, baseProgram, commandName, createProgram } from '../../../src/cli/program.js';

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

  it('loads everything for help, no command, or an unknown command', async () => {
    const all = [...new Set(areas.flatMap((a) => a.commands))].sort();
    for (const args of [[], ['--help'], ['nonsense']]) expect(topLevel(await createProgram(args))).toEqual(all);
  }, 120_000);

  it('finds the command after global options', () => {
    expect(commandName(['--json', 'ingest', 'eml', 'x.eml'])).toBe('ingest');
    expect(commandName(['--help'])).toBeUndefined();
  });
});
