// Prints how many tests passed per project (unit, pglite, postgres) and a plain closing line for
// CI: "tests: N passed, N failed, N skipped; files failed: N; uncaught errors: N".
//
// A red run never reads "0 failed": a file whose beforeAll (or import, or a suite hook) failed
// reports its tests as skipped, so it is counted under "files failed"; an error thrown outside any
// test (a stray timer, an unhandled rejection) fails the run without failing a test, so it is
// counted under "uncaught errors".
import type { Reporter, SerializedError, TestModule, TestRunEndReason } from 'vitest/node';

export interface SummaryCounts {
  passed: number;
  failed: number;
  skipped: number;
  filesFailed: number;
}

export interface SummaryReporterOptions {
  /** Where lines go (console.log by default); tests pass their own. */
  write?: (line: string) => void;
}

function emptyCounts(): SummaryCounts {
  return { passed: 0, failed: 0, skipped: 0, filesFailed: 0 };
}

function countsLine(c: SummaryCounts): string {
  return `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped; files failed: ${c.filesFailed}`;
}

export default class SummaryReporter implements Reporter {
  private readonly write: (line: string) => void;

  constructor(options: SummaryReporterOptions = {}) {
    this.write = options.write ?? ((line) => console.log(line));
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    const per = new Map<string, SummaryCounts>();
    for (const m of modules) {
      const name = m.project.name || 'default';
      const c = per.get(name) ?? emptyCounts();
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') c.passed++;
        else if (state === 'failed') c.failed++;
        else c.skipped++;
      }
      if (m.state() === 'failed' || m.errors().length > 0) c.filesFailed++;
      per.set(name, c);
    }
    const total = emptyCounts();
    this.write('\nper project:');
    for (const [name, c] of [...per].sort()) {
      this.write(`  ${name.padEnd(9)} ${countsLine(c)}`);
      total.passed += c.passed;
      total.failed += c.failed;
      total.skipped += c.skipped;
      total.filesFailed += c.filesFailed;
    }
    if (reason === 'interrupted') this.write('the run was interrupted: the counts are partial');
    this.write(`tests: ${countsLine(total)}; uncaught errors: ${unhandledErrors.length}`);
  }
}
