// The closing line of `npm test` on a red run: a file whose beforeAll failed and an error thrown
// outside any test are counted, so the line never reads as all green. Runs vitest itself on the
// fixtures in test/fixtures/reporter (outside the suite's include globs).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startVitest } from 'vitest/node';
import SummaryReporter from '../summary-reporter.js';

const root = join(import.meta.dirname, '../..');

async function summaryOf(files: string[]): Promise<string[]> {
  const lines: string[] = [];
  const exitCode = process.exitCode;
  const vitest = await startVitest(
    'test',
    [],
    {
      root,
      config: false,
      watch: false,
      include: files.map((f) => `test/fixtures/reporter/${f}`),
      reporters: [new SummaryReporter({ write: (line) => lines.push(line) })],
      pool: 'threads',
      maxWorkers: 1,
      testTimeout: 10_000,
    },
    {},
  );
  await vitest.close();
  // startVitest sets process.exitCode on a failed run; these runs are meant to fail.
  process.exitCode = exitCode;
  return lines;
}

describe('the summary line of a test run', () => {
  it('counts a failed beforeAll as a failed file and a stray throw as an uncaught error', async () => {
    const lines = await summaryOf(['failing-hook.fixture.ts', 'uncaught.fixture.ts', 'mixed.fixture.ts']);
    expect(lines.at(-1)).toBe('tests: 2 passed, 1 failed, 3 skipped; files failed: 2; uncaught errors: 1');
  });

  it('counts an error thrown outside any test even when every test passed', async () => {
    const lines = await summaryOf(['uncaught.fixture.ts']);
    expect(lines.at(-1)).toBe('tests: 1 passed, 0 failed, 0 skipped; files failed: 0; uncaught errors: 1');
  });

  it('reads all green, per project and in total, when everything passed', async () => {
    const lines = await summaryOf(['passing.fixture.ts']);
    expect(lines).toContain('  default   1 passed, 0 failed, 0 skipped; files failed: 0');
    expect(lines.at(-1)).toBe('tests: 1 passed, 0 failed, 0 skipped; files failed: 0; uncaught errors: 0');
  });
});
