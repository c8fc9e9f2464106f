#!/usr/bin/env node
// Checks the code (`npm run check`: import directions with dependency-cruiser, tsc for the TypeScript, svelte-check for
// the pages), runs the vitest suite and ends with the line CI reads: "tests: N passed, N failed, N skipped". Exits
// non-zero when the check or anything else failed, or when no test ran at all. The check is skipped when only some
// tests are asked for.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const e2e = process.argv.includes('--e2e');
const extra = process.argv.slice(2).filter((a) => a !== '--e2e');
const jsonFile = join(mkdtempSync(join(tmpdir(), 'fairdraw-vitest-')), 'results.json');
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`];
// Browser tests run inside the whole suite when Chromium is installed; `--e2e` runs only them.
if (e2e) args.push('web/e2e');
args.push(...extra);

const checked = e2e || extra.length ? null : spawnSync('npm', ['run', '--silent', 'check'], { stdio: 'inherit' });
if (checked) console.log(checked.status === 0 ? 'imports and types: checked, no errors' : 'types: the check above failed');

const run = spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, TZ: 'Asia/Shanghai', NO_COLOR: '1' } });

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(jsonFile)) {
  const report = JSON.parse(readFileSync(jsonFile, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A test file that fails to load has no test results but still counts as a failure.
  failed += (report.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 || run.status !== 0 || (checked && checked.status !== 0) ? 1 : 0);
