// Prints the closing line "tests: N passed, N failed, N skipped" and the count per project
// (unit, pglite, postgres), read from vitest's JSON report.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const perProject = {};
let passed = 0, failed = 0, skipped = 0;
for (const file of report.testResults) {
  const project = file.name.includes('/test/unit/') ? 'unit' : null;
  for (const t of file.assertionResults) {
    const p = project ?? (t.fullName?.startsWith('postgres') ? 'postgres' : 'db');
    perProject[p] ??= { passed: 0, failed: 0, skipped: 0 };
    if (t.status === 'passed') { passed++; perProject[p].passed++; }
    else if (t.status === 'failed') { failed++; perProject[p].failed++; }
    else { skipped++; perProject[p].skipped++; }
  }
}
if (passed + failed === 0) {
  console.error('no test ran');
  process.exit(1);
}
console.log(`per database (pglite and postgres run the same files): ${JSON.stringify({ total: report.numTotalTests })}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || report.numFailedTestSuites > 0) process.exit(1);
