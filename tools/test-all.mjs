#!/usr/bin/env node
// `npm test`: every check CI runs, in order, continuing past failures so one run shows everything.
// Ends with one line, "N passed, M failed", counted over all suites: each jest test and each
// conformance test counts once, and each whole-workspace step (format, lint, typecheck, build)
// counts once.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reportDir = mkdtempSync(path.join(tmpdir(), 'parley-test-report-'));
const env = {
  ...process.env,
  CI: 'true',
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  PARLEY_TEST_REPORT_DIR: reportDir,
};
const nx = (...args) => ['npx', 'nx', ...args, '--outputStyle=stream'];

let passed = 0;
let failed = 0;
const failures = [];

function run(label, command, { counts = true } = {}) {
  const started = Date.now();
  console.log(`\n=== ${label}: ${command.join(' ')}`);
  const result = spawnSync(command[0], command.slice(1), {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  process.stdout.write(result.stdout ?? '');
  const ok = result.status === 0;
  console.log(
    `=== ${label}: ${ok ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (counts) {
    if (ok) passed += 1;
    else failed += 1;
  }
  if (!ok) failures.push(label);
  return result;
}

run('format', ['npx', 'prettier', '--check', '.']);
run('lint', nx('run-many', '-t', 'lint'));
run('typecheck', nx('run-many', '-t', 'typecheck'));
run('build', nx('run-many', '-t', 'build'));
// Test results are counted from the jest reports below; the step itself only records a failure
// that no report explains (a project that failed to start, say).
const tests = run('unit and black-box tests', nx('run-many', '-t', 'test', '--parallel=2'), {
  counts: false,
});

const specDir = process.env.MONGO_SPEC_DIR;
if (specDir && existsSync(specDir)) {
  const conformance = run('MongoDB CRUD conformance', nx('run', 'embedded-mongo:conformance'), {
    counts: false,
  });
  const match = /conformance: (\d+) passed, (\d+) failed/.exec(conformance.stdout ?? '');
  if (match) {
    passed += Number(match[1]);
    failed += Number(match[2]);
  }
  if (conformance.status !== 0 && (!match || Number(match[2]) === 0)) failed += 1;
} else {
  console.log(
    '\n=== MongoDB CRUD conformance: not run (set MONGO_SPEC_DIR to the spec tests folder)',
  );
}

const e2e = run('browser tests', nx('run', 'web-e2e:e2e'), { counts: false });

let reported = 0;
for (const file of readdirSync(reportDir)) {
  const summary = JSON.parse(readFileSync(path.join(reportDir, file), 'utf8'));
  console.log(
    `jest ${summary.name}: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`,
  );
  passed += summary.passed;
  failed += summary.failed + summary.skipped;
  reported += summary.failed;
}
// A test step that failed without any failing test in its reports (e.g. a config error) still fails.
for (const step of [tests, e2e]) {
  if (step.status !== 0 && reported === 0) failed += 1;
}
rmSync(reportDir, { recursive: true, force: true });

if (failures.length) console.log(`\nFailed steps: ${failures.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && failures.length === 0 ? 0 : 1);
