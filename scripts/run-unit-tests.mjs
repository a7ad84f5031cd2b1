// Runs every unit test file with Node's test runner, TypeScript loaded through tsx.
import { spawnSync } from 'node:child_process';
import fg from 'fast-glob';

const files = fg.sync(['test/**/*.test.ts'], { ignore: ['test/vscode/**', 'test/e2e/**'] }).sort();
if (!files.length) {
  console.error('run-unit-tests: no test files found under test/');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...process.argv.slice(2), ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
