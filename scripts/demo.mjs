// The README's first command ends here: validate the bundled examples with the built CLI.
// One example is broken on purpose, so exit code 1 (errors found) is the expected outcome.
import { spawnSync } from 'node:child_process';

const result = spawnSync(process.execPath, ['dist/cli/aep-dest.js', 'validate', 'examples'], {
  stdio: 'inherit',
});
if (result.status === 0 || result.status === 1) {
  console.log(
    '\nDemo done: examples/winback.destination.json is clean; examples/broken.destination.jsonc shows the findings above.',
  );
  process.exit(0);
}
console.error(`aep-dest validate exited with ${result.status}: the demo failed.`);
process.exit(1);
