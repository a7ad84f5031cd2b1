// The README's first command ends here: the built CLI on the bundled examples.
// 1. validate every example: one is broken on purpose, so exit code 1 is the expected outcome;
// 2. simulate the winback example's export against its sample profiles and leads;
// 3. simulate the EMEA example from real-shaped exports (XDM profiles, a bulk extract, partitions);
// 4. the Flow Service round trip on saved answers: import a dataflow, plan the winback example
//    against it (the JSON Patch apply would send).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = (...args) =>
  spawnSync(process.execPath, ['dist/cli/aep-dest.js', ...args], { stdio: 'inherit' }).status;

console.log('$ aep-dest validate examples');
const validated = cli('validate', 'examples');
if (validated !== 0 && validated !== 1) {
  console.error(`aep-dest validate exited with ${validated}: the demo failed.`);
  process.exit(1);
}
console.log('\n$ aep-dest simulate examples/winback.destination.json');
const simulated = cli('simulate', 'examples/winback.destination.json');
if (simulated !== 0) {
  console.error(`aep-dest simulate exited with ${simulated}: the demo failed.`);
  process.exit(1);
}
console.log('\n$ aep-dest simulate examples/emea-reactivation.destination.json');
// XDM profiles, a Bulk Lead Extract and the instance's partitions, as Adobe and Marketo export them.
if (cli('simulate', 'examples/emea-reactivation.destination.json') !== 0) {
  console.error('aep-dest simulate exited with an error: the demo failed.');
  process.exit(1);
}
const saved = 'examples/flow-service';
const scratch = mkdtempSync(join(tmpdir(), 'aep-dest-demo-'));
try {
  const imported = join(scratch, 'imported.destination.json');
  console.log(
    `\n$ aep-dest import ${saved}/flow.json --target-connection … --audiences … --out ${imported}`,
  );
  const importArgs = [
    'import',
    `${saved}/flow.json`,
    '--target-connection',
    `${saved}/target-connection.json`,
  ];
  if (cli(...importArgs, '--audiences', `${saved}/audiences.json`, '--out', imported) !== 0) {
    console.error('aep-dest import exited with an error: the demo failed.');
    process.exit(1);
  }
  console.log(`\n$ aep-dest plan examples/winback.destination.json --flow ${saved}/flow.json`);
  if (cli('plan', 'examples/winback.destination.json', '--flow', `${saved}/flow.json`) !== 0) {
    console.error('aep-dest plan exited with an error: the demo failed.');
    process.exit(1);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(
  '\nDemo done: examples/broken.destination.jsonc shows the findings above (the other examples are clean), then the simulated exports of the winback and EMEA examples, and the plan that brings a saved dataflow to the winback example.',
);
