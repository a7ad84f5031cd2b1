// Bundles the VS Code integration suite (test/vscode/suite, with mocha; `vscode` external) into
// out/vscode-suite/index.js for @vscode/test-electron, and the e2e test-driver extension
// (test/e2e/driver, which embeds the suite) into out/e2e-driver/, packaged as
// out/e2e/aep-e2e-driver.vsix for code-server. Run from the repository root.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);

// Every *.test.ts of the suite must be loaded by index.ts (bundling cannot glob at run time).
const suiteDir = 'test/vscode/suite';
const index = readFileSync(`${suiteDir}/index.ts`, 'utf8');
const listed = new Set(
  [...index.matchAll(/import\('\.\/([^']+)\.js'\)/g)].map((m) => `${m[1]}.ts`),
);
const missing = readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts') && !listed.has(f));
if (missing.length) {
  console.error(`build-suite: ${suiteDir}/index.ts does not load ${missing.join(', ')}`);
  process.exit(1);
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  sourcemap: 'inline',
  keepNames: true,
  logLevel: 'warning',
  // As in scripts/build.mjs: jsonc-parser's UMD `main` has requires esbuild cannot follow.
  mainFields: ['module', 'main'],
  // mocha's parallel mode (never used here) resolves worker files at run time.
  logOverride: { 'require-resolve-not-external': 'silent' },
};

rmSync('out/vscode-suite', { recursive: true, force: true });
rmSync('out/e2e-driver', { recursive: true, force: true });
await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: [`${suiteDir}/index.ts`],
    outfile: 'out/vscode-suite/index.js',
  }),
  esbuild.build({
    ...common,
    entryPoints: ['test/e2e/driver/src/extension.ts'],
    outfile: 'out/e2e-driver/dist/extension.js',
  }),
]);

copyFileSync('test/e2e/driver/package.json', 'out/e2e-driver/package.json');
copyFileSync('LICENSE', 'out/e2e-driver/LICENSE');
writeFileSync(
  'out/e2e-driver/README.md',
  '# AEP Destination e2e test driver\n\nTest-only: see test/e2e/runCodeServer.ts.\n',
);
mkdirSync('out/e2e', { recursive: true });
const vsce = spawnSync(
  process.execPath,
  [
    require.resolve('@vscode/vsce/vsce'),
    'package',
    '--no-dependencies',
    '--allow-missing-repository',
    '--out',
    '../e2e/aep-e2e-driver.vsix',
  ],
  { cwd: 'out/e2e-driver', encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
);
if (vsce.status !== 0) {
  process.stderr.write(vsce.stdout + vsce.stderr);
  console.error('build-suite: packaging the driver extension failed');
  process.exit(1);
}
console.log('built out/vscode-suite/index.js and out/e2e/aep-e2e-driver.vsix');
