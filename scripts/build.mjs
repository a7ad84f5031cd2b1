// Bundles the extension client, the language server (and its simulation and query workers), the CLI and
// the results and plan views' browser scripts with esbuild. `--dev` adds source maps and skips minification.
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { validatorModuleCode } from './validatorCode.mjs';

const dev = process.argv.includes('--dev');
// The schema's validator, precompiled once here (Ajv standalone code) and bundled in place of
// server/src/rules/schemaValidator.ts, which would compile it at every start-up.
const validatorCode = validatorModuleCode();
const precompiledValidator = {
  name: 'precompiled-validator',
  setup(build) {
    build.onLoad({ filter: /[\\/]server[\\/]src[\\/]rules[\\/]schemaValidator\.ts$/ }, () => ({
      contents: validatorCode,
      loader: 'js',
      resolveDir: process.cwd(),
    }));
  },
};
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
  plugins: [precompiledValidator],
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
  {
    ...node,
    entryPoints: ['server/src/lsp/server.ts'],
    outfile: 'dist/server/server.js',
    external: ['@duckdb/node-api'],
  },
  // Simulations run in a worker thread beside the server; DuckDB's (native, a binary per
  // platform) is loaded from node_modules on first use, as the CLI's.
  {
    ...node,
    entryPoints: ['server/src/lsp/simulationWorker.ts'],
    outfile: 'dist/server/simulationWorker.js',
    external: ['@duckdb/node-api'],
  },
  // The results view's sorts, filters and searches run in a worker thread beside the server.
  {
    ...node,
    entryPoints: ['server/src/lsp/outcomeQueryWorker.ts'],
    outfile: 'dist/server/outcomeQueryWorker.js',
  },
  {
    ...node,
    entryPoints: ['server/src/cli/aep-dest.ts'],
    outfile: 'dist/cli/aep-dest.js',
    banner: { js: '#!/usr/bin/env node' },
    // Native (a binary per platform): loaded from node_modules on first use, never bundled.
    external: ['@duckdb/node-api'],
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
for (const css of ['simulationView', 'resultsOverview', 'outcomeTable', 'detailsPane']) {
  copyFileSync(`client/webview/${css}.css`, `dist/webview/${css}.css`);
}
copyFileSync('client/webview/planView.css', 'dist/webview/planView.css');
console.log(`built dist/ (${dev ? 'development' : 'production'})`);
