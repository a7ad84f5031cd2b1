/**
 * Child: the extension's activation outside VS Code. `vscode` is replaced by a permissive
 * stub (a Proxy: each of the API's namespaces, classes and enums is a stub whose every
 * property is another stub; calls and `new` return stubs; assignments are kept), so every
 * VS Code API call is a no-op. Times, in one fresh process:
 *
 * - `require('dist/client/extension.js')`: evaluating the production bundle;
 * - `activate(context)` until its promise resolves: the extension's own set-up plus what
 *   vscode-languageclient does on start: forking the real `dist/server/server.js` over node
 *   IPC and the `initialize` round trip (the fork is checked to have happened).
 *
 * Not included: VS Code's own cost of the API calls (status item, output channel, provider
 * registrations), extension host start-up, and the extension's download/unpack.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
// The CommonJS objects themselves, patched in place below: an ES import would be a copy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import Module = require('node:module');
// eslint-disable-next-line @typescript-eslint/no-require-imports
import childProcess = require('node:child_process');
import { args, finish } from '../lib/child';

const opts = args();
/** The repository (for the vscode typings) and the package holding dist/ (a snapshot of it). */
const root = path.resolve(opts.root as string);
const pkg = path.resolve(opts.package ?? root);
const typings = fs.readFileSync(path.join(root, 'node_modules/@types/vscode/index.d.ts'), 'utf8');
const API_NAMES = [
  ...new Set(
    [...typings.matchAll(/^\texport (?:namespace|class|enum|const|function) (\w+)/gm)].map(
      (m) => m[1] as string,
    ),
  ),
];

function stub(name: string, top = false): Record<string | symbol, unknown> {
  const props = new Map<string | symbol, unknown>();
  return new Proxy(function () {} as unknown as Record<string | symbol, unknown>, {
    ownKeys: (t) =>
      top ? [...new Set([...API_NAMES, ...Reflect.ownKeys(t)])] : Reflect.ownKeys(t),
    get(_t, key) {
      if (props.has(key)) return props.get(key);
      if (key === Symbol.toPrimitive) return () => name;
      if (key === 'then') return undefined;
      if (key === Symbol.iterator) return function* () {};
      const value = stub(`${name}.${String(key)}`);
      props.set(key, value);
      return value;
    },
    set(_t, key, value) {
      props.set(key, value);
      return true;
    },
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`),
  });
}

const vscode = stub('vscode', true);
vscode.version = '1.95.0'; // vscode-languageclient checks it
const internals = Module as unknown as {
  _load: (request: string, parent: unknown, isMain: boolean) => unknown;
};
const load = internals._load;
internals._load = (request, parent, isMain) =>
  request === 'vscode' ? vscode : load(request, parent, isMain);

// Count the server forks (vscode-languageclient forks the server module for TransportKind.ipc).
const forked: string[] = [];
const fork = childProcess.fork;
(childProcess as { fork: typeof fork }).fork = ((modulePath: string, ...rest: unknown[]) => {
  forked.push(path.relative(pkg, String(modulePath)));
  return (fork as (...a: unknown[]) => childProcess.ChildProcess)(modulePath, ...rest);
}) as typeof fork;

interface Extension {
  activate(context: unknown): Promise<void>;
  deactivate(): Promise<void>;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  // Timed as VS Code loads it: a synchronous CommonJS require of the bundle.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extension = require(path.join(pkg, 'dist/client/extension.js')) as Extension;
  const requireMs = performance.now() - t0;
  const context = {
    subscriptions: [] as unknown[],
    asAbsolutePath: (p: string) => path.join(pkg, p),
    extensionPath: pkg,
    extensionUri: stub('extensionUri'),
    globalState: stub('globalState'),
    workspaceState: stub('workspaceState'),
    logUri: stub('logUri'),
    extensionMode: 1,
  };
  const t1 = performance.now();
  await extension.activate(context);
  const activateMs = performance.now() - t1;
  const t2 = performance.now();
  await extension.deactivate();
  const deactivateMs = performance.now() - t2;
  finish({ requireMs, activateMs, deactivateMs, forked });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
