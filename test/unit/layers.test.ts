// The product's layers, bottom to top, held by a test rather than by a reviewer:
//
//   common (protocol + report model, shared by server, client and webview)
//   knowledge ← engine ← rules ← services ← facade (languageService, prepareSimulation) ← lsp, cli
//   simulation ← facade        (simulation sees knowledge and common only)
//   flowService ← lsp, cli     (import, export, plan: pure, knowledge and common only)
//   host (node: package root, docs URIs) ← lsp, cli
//   client, webview → common only
//
// Every import of every source file is read (static, dynamic and `import type` alike: a type
// edge still ties the layers) and checked against ALLOWED; folders must form no cycle and no
// file may import itself round a loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fg from 'fast-glob';
import ts from 'typescript';
import { REPO_ROOT } from '../helpers';

type Layer =
  | 'common'
  | 'knowledge'
  | 'engine'
  | 'rules'
  | 'services'
  | 'facade'
  | 'simulation'
  | 'flowService'
  | 'host'
  | 'lsp'
  | 'cli'
  | 'client';

/** Which layers a layer may import (besides npm packages and Node built-ins). */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  common: [],
  knowledge: [],
  engine: ['knowledge'],
  rules: ['engine', 'knowledge'],
  services: ['rules', 'engine', 'knowledge'],
  facade: ['services', 'rules', 'engine', 'knowledge', 'simulation', 'common'],
  simulation: ['knowledge', 'common'],
  flowService: ['knowledge', 'common'],
  host: [],
  lsp: [
    'facade',
    'services',
    'rules',
    'engine',
    'knowledge',
    'simulation',
    'flowService',
    'host',
    'common',
  ],
  cli: [
    'lsp',
    'flowService',
    'facade',
    'services',
    'rules',
    'engine',
    'knowledge',
    'simulation',
    'host',
    'common',
  ],
  client: ['common'],
};

const FACADE = new Set([
  'server/src/languageService.ts',
  'server/src/prepareSimulation.ts',
  'server/src/prepareFlowService.ts',
]);

function layerOf(file: string): Layer | undefined {
  if (FACADE.has(file)) return 'facade';
  if (file.startsWith('common/')) return 'common';
  if (file.startsWith('client/')) return 'client';
  const folder = /^server\/src\/([^/]+)\//.exec(file)?.[1];
  return folder && folder in ALLOWED ? (folder as Layer) : undefined;
}

const SOURCES = fg
  .sync(['common/**/*.ts', 'server/src/**/*.ts', 'client/**/*.ts'], {
    cwd: REPO_ROOT,
    ignore: ['**/node_modules/**'],
  })
  .sort();

/** Repo-relative path of a relative import, or undefined for a package or a non-source file. */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.posix.join(path.posix.dirname(from), specifier.replace(/\.js$/, ''));
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
    if (candidate.endsWith('.ts') && existsSync(path.join(REPO_ROOT, candidate))) return candidate;
  }
  return existsSync(path.join(REPO_ROOT, base)) ? base : `${base} (unresolved)`;
}

/** file → the repo files it imports. */
const GRAPH = new Map<string, string[]>(
  SOURCES.map((file) => {
    const info = ts.preProcessFile(readFileSync(path.join(REPO_ROOT, file), 'utf8'), true, true);
    const targets = info.importedFiles
      .map((imported) => resolveImport(file, imported.fileName))
      .filter((target): target is string => target !== undefined);
    return [file, targets];
  }),
);

test('every source file belongs to a layer', () => {
  assert.ok(SOURCES.length > 50, `found ${SOURCES.length} source files`);
  assert.deepEqual(
    SOURCES.filter((file) => !layerOf(file)),
    [],
    'files outside the layers (add the folder to ALLOWED and to the README diagram)',
  );
});

test('every relative import resolves to a file', () => {
  const unresolved = [...GRAPH].flatMap(([file, targets]) =>
    targets.filter((t) => t.endsWith('(unresolved)')).map((t) => `${file} → ${t}`),
  );
  assert.deepEqual(unresolved, []);
});

test('imports follow the layers', () => {
  const violations: string[] = [];
  for (const [file, targets] of GRAPH) {
    const from = layerOf(file);
    if (!from) continue;
    for (const target of targets) {
      if (target.endsWith('.json')) {
        // Data files (the JSON Schema) are read by the engine; nobody else reaches into them.
        // The message bundles are the host's: it picks the process's language.
        if (from === 'host' && target.startsWith('l10n/')) continue;
        if (from !== 'engine' && from !== 'knowledge')
          violations.push(`${file} → ${target}: only the engine reads the schema`);
        continue;
      }
      // The one engine module the host reaches: it hands the locale's schema texts to it.
      if (file === 'server/src/host/locale.ts' && target === 'server/src/engine/schemaText.ts')
        continue;
      const to = layerOf(target);
      if (!to) violations.push(`${file} → ${target}: outside the layers`);
      else if (to !== from && !ALLOWED[from].includes(to))
        violations.push(`${file} (${from}) → ${target} (${to})`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the allowed layer edges form no cycle', () => {
  const visiting = new Set<Layer>();
  const done = new Set<Layer>();
  const visit = (layer: Layer, trail: Layer[]): void => {
    if (done.has(layer)) return;
    assert.ok(!visiting.has(layer), `layer cycle: ${[...trail, layer].join(' → ')}`);
    visiting.add(layer);
    for (const next of ALLOWED[layer]) visit(next, [...trail, layer]);
    visiting.delete(layer);
    done.add(layer);
  };
  for (const layer of Object.keys(ALLOWED) as Layer[]) visit(layer, []);
});

test('no folder imports a folder that imports it back', () => {
  // The client is one layer: its simulation/ subfolder and its root call each other freely.
  const folderOf = (file: string): string =>
    file.startsWith('client/') ? 'client' : path.posix.dirname(file);
  const edges = new Map<string, Set<string>>();
  for (const [file, targets] of GRAPH) {
    for (const target of targets) {
      const a = folderOf(file);
      const b = folderOf(target);
      if (a === b || !layerOf(target)) continue;
      if (!edges.has(a)) edges.set(a, new Set());
      edges.get(a)?.add(b);
    }
  }
  const cycles = [...edges].flatMap(([a, targets]) =>
    [...targets].filter((b) => edges.get(b)?.has(a) && a < b).map((b) => `${a} ⇄ ${b}`),
  );
  assert.deepEqual(cycles, []);
});

test('no file imports itself round a loop', () => {
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, trail: string[]): void => {
    const seen = state.get(file);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
      return;
    }
    state.set(file, 'visiting');
    for (const target of GRAPH.get(file) ?? []) visit(target, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of SOURCES) visit(file, []);
  assert.deepEqual(cycles, []);
});

// Opening, validating or completing a file never touches the network: only the CLI's pull and
// apply and the extension's explicit commands reach Experience Platform (common/platform/).
test('the network client is reached only from the CLI and the extension client', () => {
  const reaching: string[] = [];
  for (const [file, targets] of GRAPH) {
    const layer = layerOf(file);
    if (layer === 'cli' || layer === 'client' || file.startsWith('common/platform/')) continue;
    for (const target of targets) {
      if (target.startsWith('common/platform/')) reaching.push(`${file} → ${target}`);
    }
  }
  assert.deepEqual(reaching, []);
  const networkModules = /\bfrom\s+['"](node:)?(http|https|net|tls|dgram|undici)['"]|\bfetch\(/;
  const serverNetwork = SOURCES.filter(
    (file) =>
      file.startsWith('server/src/') &&
      !file.startsWith('server/src/cli/') &&
      networkModules.test(readFileSync(path.join(REPO_ROOT, file), 'utf8')),
  );
  assert.deepEqual(serverNetwork, [], 'the language server has no network code');
});
