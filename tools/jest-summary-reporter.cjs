// Writes one small JSON file per jest run when PARLEY_TEST_REPORT_DIR is set, so `npm test` can
// print a single "N passed, M failed" line over every suite of every project.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.name = path.basename(globalConfig.rootDir);
  }

  onRunComplete(_contexts, results) {
    const dir = process.env.PARLEY_TEST_REPORT_DIR;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    const summary = {
      name: this.name,
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.writeFileSync(
      path.join(dir, `jest-${this.name}-${process.pid}.json`),
      JSON.stringify(summary),
    );
  }
}

module.exports = SummaryReporter;
