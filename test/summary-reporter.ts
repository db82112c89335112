// Prints how many tests passed per project (unit, pglite, postgres), the peer-suite lines the
// tests report, and a plain closing line "tests: N passed, N failed, N skipped" for CI.
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const per = new Map<string, { passed: number; failed: number; skipped: number }>();
    for (const m of modules) {
      const name = m.project.name || 'default';
      const c = per.get(name) ?? { passed: 0, failed: 0, skipped: 0 };
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') c.passed++;
        else if (state === 'failed') c.failed++;
        else c.skipped++;
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) c.failed++;
      per.set(name, c);
    }
    const total = { passed: 0, failed: 0, skipped: 0 };
    console.log('\nper project:');
    for (const [name, c] of [...per].sort()) {
      console.log(`  ${name.padEnd(9)} ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
      total.passed += c.passed;
      total.failed += c.failed;
      total.skipped += c.skipped;
    }
    console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  }
}
