// Prints one closing line over every JUnit report the run wrote: "N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';

let tests = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) throw new Error(`Missing test report ${file}: a suite did not run.`);
  const report = readFileSync(file, 'utf8');
  const root = /<testsuites\b[^>]*>/.exec(report)?.[0] ?? '';
  const count = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(root)?.[1] ?? 0);
  tests += count('tests');
  failed += count('failures') + count('errors');
  // Vitest's root element carries no skipped count: the files' elements do.
  for (const suite of report.matchAll(/<testsuite\b[^>]*\bskipped="(\d+)"/g)) {
    skipped += Number(suite[1]);
  }
}
console.log(`${tests - failed - skipped} passed, ${failed} failed, ${skipped} skipped`);
if (tests === 0 || failed > 0 || skipped > 0) process.exit(1);
