// Bundles the extension client, the language server (and its simulation worker), the CLI and
// the results and plan views' browser scripts with esbuild. `--dev` adds source maps and skips minification.
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
import * as esbuild from 'esbuild';

const dev = process.argv.includes('--dev');
const node = {
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
// The webview is a browser page that loads a classic (non-module) script.
const browser = { ...node, platform: 'browser', format: 'iife', target: 'es2022' };

const bundles = [
  {
    ...node,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'dist/client/extension.js',
    external: ['vscode'],
  },
  { ...node, entryPoints: ['server/src/lsp/server.ts'], outfile: 'dist/server/server.js' },
  // Simulations run in a worker thread beside the server.
  {
    ...node,
    entryPoints: ['server/src/lsp/simulationWorker.ts'],
    outfile: 'dist/server/simulationWorker.js',
  },
  {
    ...node,
    entryPoints: ['server/src/cli/aep-dest.ts'],
    outfile: 'dist/cli/aep-dest.js',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...browser,
    entryPoints: ['client/webview/simulationView.ts'],
    outfile: 'dist/webview/simulationView.js',
  },
  {
    ...browser,
    entryPoints: ['client/webview/planView.ts'],
    outfile: 'dist/webview/planView.js',
  },
];

rmSync('dist', { recursive: true, force: true });
await Promise.all(bundles.map((options) => esbuild.build(options)));
chmodSync('dist/cli/aep-dest.js', 0o755);
copyFileSync('client/webview/simulationView.css', 'dist/webview/simulationView.css');
copyFileSync('client/webview/planView.css', 'dist/webview/planView.css');
console.log(`built dist/ (${dev ? 'development' : 'production'})`);
