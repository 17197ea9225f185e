// Prints "N passed, N failed" from vitest's JSON report; fails when the report is missing or empty.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.ci/report.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log('0 passed, 1 failed');
  console.error(`ci: no test report at ${file} (lint or typecheck failed before the tests ran?)`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// Failed tests; a file that failed to load has no failed test of its own, so count it then.
const failedTests = report.numFailedTests ?? 0;
const failed = failedTests > 0 ? failedTests : (report.numFailedTestSuites ?? 0);
const skipped = report.numPendingTests ?? 0;
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
if (passed === 0 || failed > 0) process.exit(1);
