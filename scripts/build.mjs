// Bundles the extension client, the language server and the CLI with esbuild.
// `--dev` adds source maps and skips minification.
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
import * as esbuild from 'esbuild';

const dev = process.argv.includes('--dev');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: !dev,
  keepNames: true,
  sourcemap: dev ? 'linked' : false,
  logLevel: 'warning',
  // jsonc-parser's `main` is a UMD build whose dynamic requires esbuild cannot follow.
  mainFields: ['module', 'main'],
};

rmSync('dist', { recursive: true, force: true });
await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'dist/client/extension.js',
    external: ['vscode'],
  }),
  esbuild.build({
    ...common,
    entryPoints: ['server/src/lsp/server.ts'],
    outfile: 'dist/server/server.js',
  }),
  esbuild.build({
    ...common,
    entryPoints: ['server/src/cli/aep-dest.ts'],
    outfile: 'dist/cli/aep-dest.js',
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
chmodSync('dist/cli/aep-dest.js', 0o755);
copyFileSync('client/webview/simulationView.css', 'dist/webview/simulationView.css');
console.log(`built dist/ (${dev ? 'development' : 'production'})`);
