// The language server as any LSP client sees it: plain vscode-jsonrpc over stdio against
// `aep-dest lsp --stdio` (the built CLI and its TypeScript sources) and the server entry
// from the sources, then the CLI's other transports (--socket, --node-ipc).
import assert from 'node:assert/strict';
import { type StdioOptions, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  IPCMessageReader,
  IPCMessageWriter,
  type MessageConnection,
  type MessageReader,
  type MessageWriter,
  ResponseError,
  SocketMessageReader,
  SocketMessageWriter,
  createMessageConnection,
} from 'vscode-jsonrpc/node';
import { SeverityNumber } from '../../server/src/engine/types';
import type { DocumentStatus, SimulateResponse } from '../../common/protocol';
import { REPO_ROOT, applyEdits, tempFiles, validate } from '../helpers';
import { LspTestClient, type PublishedDiagnostics, SERVER_COMMANDS } from '../lspClient';
import { WINBACK_SUMMARY } from '../fixtures/simulation/winbackSummary';

const BUILT_CLI = path.join(REPO_ROOT, 'dist/cli/aep-dest.js');
const SKIP_BUILT = fs.existsSync(BUILT_CLI)
  ? false
  : `${path.relative(REPO_ROOT, BUILT_CLI)} is missing: run npm run build first (npm test builds before the unit tests)`;

const BROKEN = fs.readFileSync(path.join(REPO_ROOT, 'examples/broken.destination.jsonc'), 'utf8');
const WINBACK_PATH = path.join(REPO_ROOT, 'examples/winback.destination.json');
const DOCS_RULES = pathToFileURL(path.join(REPO_ROOT, 'docs', 'rules') + path.sep).href;

/** What a crash looks like on stderr: a stack frame or an unhandled error. */
const CRASH = /^\s+at |Unhandled|uncaught|TypeError|ReferenceError|SyntaxError|FATAL|Error:/im;

type Range = PublishedDiagnostics['diagnostics'][number]['range'];
type Diagnostic = PublishedDiagnostics['diagnostics'][number];

interface Target {
  name: string;
  command: readonly string[];
  skip: string | false;
  /** Whether diagnostics link to this checkout's docs/rules (the server's package root). */
  checksDocsLinks: boolean;
}

/** Every test is bounded; `after` hooks kill what is left. */
const T = { timeout: 30_000 };

const TARGETS: Target[] = [
  {
    name: 'node dist/cli/aep-dest.js lsp --stdio (built)',
    command: SERVER_COMMANDS.builtCli,
    skip: SKIP_BUILT,
    checksDocsLinks: true,
  },
  {
    name: 'aep-dest lsp --stdio from the TypeScript sources (tsx)',
    command: SERVER_COMMANDS.sourceCli,
    skip: false,
    checksDocsLinks: true,
  },
  {
    // server.ts computes its package root from __dirname, right only in dist/server/.
    name: 'server/src/lsp/server.ts --stdio (tsx)',
    command: SERVER_COMMANDS.sourceServer,
    skip: false,
    checksDocsLinks: false,
  },
];

/** The engine's findings for a text, as the server should publish them. */
function expectedDiagnostics(text: string, uri: string) {
  return validate(text, { uri }).map((f) => ({
    code: f.code,
    severity: SeverityNumber[f.severity],
    range: f.range,
  }));
}

function summary(diagnostics: readonly Diagnostic[]) {
  return diagnostics.map((d) => ({ code: d.code, severity: d.severity, range: d.range }));
}

function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`test setup: ${JSON.stringify(needle)} not in the text`);
  const before = text.slice(0, offset + delta).split('\n');
  return { line: before.length - 1, character: (before.at(-1) ?? '').length };
}

function only<T>(items: readonly T[], what: string): T {
  assert.equal(items.length, 1, `expected exactly one ${what}, got ${items.length}`);
  return items[0] as T;
}

/** Polls until `probe` returns something (or `timeoutMs` passes: undefined). */
async function waitFor<T>(probe: () => T | undefined, timeoutMs = 5_000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends a request that may fail; resolves with the result or the ResponseError. */
async function settle(
  connection: MessageConnection,
  method: string,
  params: unknown,
): Promise<{ result?: unknown; error?: ResponseError<unknown> }> {
  try {
    return { result: await connection.sendRequest(method, params) };
  } catch (error) {
    if (error instanceof ResponseError) return { error };
    throw error;
  }
}

for (const target of TARGETS) {
  describe(`LSP over stdio: ${target.name}`, { skip: target.skip, timeout: 120_000 }, () => {
    let client: LspTestClient;
    const dir = target.skip ? '' : tempFiles({ 'broken.destination.jsonc': BROKEN });
    const uri = target.skip ? '' : pathToFileURL(path.join(dir, 'broken.destination.jsonc')).href;
    let text = BROKEN;
    let version = 1;
    let current: PublishedDiagnostics | undefined;

    /** Sends one incremental change and resolves with the diagnostics of the new version. */
    async function change(range: Range, newText: string): Promise<PublishedDiagnostics> {
      version += 1;
      const expectedVersion = version;
      const next = client.nextDiagnostics(uri, (d) => d.version === expectedVersion);
      text = applyEdits(text, [{ range, newText }]);
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range, text: newText }],
      });
      current = await next;
      return current;
    }

    before(() => {
      client = new LspTestClient([], target.command);
    });
    after(() => client.kill());

    test('initialize: the capabilities and server info', T, async () => {
      const result = (await client.initialize()) as {
        capabilities: Record<string, unknown>;
        serverInfo?: { name: string };
      };
      const caps = result.capabilities;
      assert.equal(caps.textDocumentSync, 2, 'incremental sync');
      assert.deepEqual(caps.completionProvider, {
        triggerCharacters: ['"', ':', '.', '/'],
        resolveProvider: false,
      });
      assert.equal(caps.hoverProvider, true);
      assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix'] });
      assert.equal(caps.documentSymbolProvider, true);
      assert.equal(caps.documentFormattingProvider, true);
      assert.equal(caps.documentRangeFormattingProvider, true);
      assert.equal(result.serverInfo?.name, 'aep-dest language server');
    });

    test('didOpen a broken config: the diagnostics, codes and ranges', T, async () => {
      current = await client.open(uri, text, version);
      assert.equal(current.version, 1);
      const published = summary(current.diagnostics);
      assert.deepEqual(published, expectedDiagnostics(text, uri));
      // Spot checks that do not depend on the engine agreeing with itself.
      const codes = published.map((d) => d.code);
      for (const code of [
        'invalid-munchkin-id',
        'partition-not-allowed',
        'person-action-not-applicable',
        'secret-in-config',
        'missing-required-mapping',
        'unsupported-dedupe-field',
        'duplicate-mapping-target',
        'unsupported-audience-type',
        'batch-only-audience',
      ]) {
        assert.ok(codes.includes(code), `${code} missing from ${codes.join(', ')}`);
      }
      const munchkin = only(
        current.diagnostics.filter((d) => d.code === 'invalid-munchkin-id'),
        'invalid-munchkin-id',
      );
      assert.deepEqual(munchkin.range, {
        start: positionOf(text, '"123-abc-45"'),
        end: positionOf(text, '"123-abc-45"', '"123-abc-45"'.length),
      });
      assert.equal(munchkin.severity, 1);
      assert.deepEqual(
        only(
          current.diagnostics.filter((d) => d.code === 'partition-not-allowed'),
          'partition-not-allowed',
        ).range,
        { start: positionOf(text, '"EMEA"'), end: positionOf(text, '"EMEA"', 6) },
      );
      for (const d of current.diagnostics) {
        assert.equal((d as { source?: string }).source, 'aep-dest');
        assert.ok(d.message.length > 0);
        if (target.checksDocsLinks)
          assert.equal(d.codeDescription?.href, `${DOCS_RULES}${d.code}.md`);
      }
      // The status the VS Code client shows, as a custom notification right after.
      const status = await waitFor(() =>
        client.notifications
          .filter((n) => n.method === 'aepDestination/documentStatus')
          .map((n) => n.params as DocumentStatus)
          .find((s) => s.uri === uri && s.version === 1),
      );
      assert.deepEqual(status && { errors: status.errors, warnings: status.warnings }, {
        errors: current.diagnostics.filter((d) => d.severity === 1).length,
        warnings: current.diagnostics.filter((d) => d.severity === 2).length,
      });
    });

    test(
      'didChange (incremental) fixing the Munchkin ID: that diagnostic goes, the rest stay',
      T,
      async () => {
        const before = current!;
        const munchkin = only(
          before.diagnostics.filter((d) => d.code === 'invalid-munchkin-id'),
          'invalid-munchkin-id',
        );
        const after = await change(munchkin.range, '"123-ABC-456"');
        assert.equal(after.version, 2);
        assert.deepEqual(
          summary(after.diagnostics),
          summary(before.diagnostics.filter((d) => d !== munchkin)),
        );
        assert.deepEqual(summary(after.diagnostics), expectedDiagnostics(text, uri));
      },
    );

    test('completion: enum values of syncType, Marketo fields for dedupeField', T, async () => {
      const position = positionOf(text, '"audienceOnly"', 1);
      const list = await client.connection.sendRequest<{
        items: { label: string; textEdit?: { range: Range; newText: string } }[];
      }>('textDocument/completion', { textDocument: { uri }, position });
      assert.deepEqual(
        list.items.map((i) => i.label),
        ['audienceAndProfile', 'profileOnly', 'audienceOnly'],
      );
      // Between the quotes: an edit over them would end a snippet placeholder (issue 9, C).
      assert.deepEqual(list.items[0]?.textEdit, {
        range: {
          start: positionOf(text, '"audienceOnly"', 1),
          end: positionOf(text, '"audienceOnly"', 13),
        },
        newText: 'audienceAndProfile',
      });

      const dedupe = await client.connection.sendRequest<{ items: { label: string }[] }>(
        'textDocument/completion',
        { textDocument: { uri }, position: positionOf(text, '"dedupeField": "email"', 17) },
      );
      const labels = dedupe.items.map((i) => i.label);
      // Without a catalog, only fields that are searchable and name one person (issue 9, C).
      assert.deepEqual(labels, ['email']);
      for (const label of ['id', 'leadId', 'ecid', 'firstName']) {
        assert.ok(!labels.includes(label), `${label} is never a dedupe field`);
      }
    });

    test('hover: markdown on a property', T, async () => {
      const hover = await client.connection.sendRequest<{
        contents: { kind: string; value: string };
      } | null>('textDocument/hover', {
        textDocument: { uri },
        position: positionOf(text, '"syncType"', 3),
      });
      assert.equal(hover?.contents.kind, 'markdown');
      assert.match(hover?.contents.value ?? '', /Sync type/);
      assert.match(hover?.contents.value ?? '', /audienceOnly|Audience only/);
    });

    test(
      'codeAction: the quick fix for partition-not-allowed, applied as the next change',
      T,
      async () => {
        const diagnostic = only(
          current!.diagnostics.filter((d) => d.code === 'partition-not-allowed'),
          'partition-not-allowed',
        );
        const actions = await client.connection.sendRequest<
          {
            title: string;
            kind?: string;
            diagnostics?: Diagnostic[];
            edit?: { changes?: Record<string, { range: Range; newText: string }[]> };
          }[]
        >('textDocument/codeAction', {
          textDocument: { uri },
          range: diagnostic.range,
          context: { diagnostics: [diagnostic], only: ['quickfix'] },
        });
        assert.deepEqual(
          actions.map((a) => [a.kind, a.title]),
          [
            ['quickfix', 'Remove "partition"'],
            ['quickfix', 'Suppress partition-not-allowed on this line'],
          ],
        );
        const fix = actions[0] as (typeof actions)[number];
        assert.equal(fix.diagnostics?.[0]?.code, 'partition-not-allowed');
        const edits = fix.edit?.changes?.[uri];
        assert.ok(edits?.length, `the fix has no edit for ${uri}: ${JSON.stringify(fix)}`);
        const edit = only(edits, 'edit');
        const after = await change(edit.range, edit.newText);
        assert.ok(!text.includes('"partition"'), text);
        assert.ok(text.includes('"dedupeField": "email"'));
        assert.ok(!after.diagnostics.some((d) => d.code === 'partition-not-allowed'));
        assert.deepEqual(summary(after.diagnostics), expectedDiagnostics(text, uri));
      },
    );

    test('documentSymbol: the outline, mappings as source → target', T, async () => {
      const symbols = await client.connection.sendRequest<
        { name: string; kind: number; children?: { name: string }[] }[]
      >('textDocument/documentSymbol', { textDocument: { uri } });
      const names = symbols.map((s) => s.name);
      for (const name of ['connector', 'name', 'munchkinId', 'syncType', 'mappings', 'audiences']) {
        assert.ok(names.includes(name), `${name} not in the outline: ${names.join(', ')}`);
      }
      const mappings = symbols.find((s) => s.name === 'mappings');
      assert.equal(mappings?.children?.length, 3);
      assert.match(mappings?.children?.[0]?.name ?? '', /identityMap\.ECID.*DedupeField/);
    });

    test('formatting: edits that keep comments, and none on the formatted text', T, async () => {
      const formatUri = pathToFileURL(path.join(dir, 'unformatted.destination.json')).href;
      const unformatted =
        '{"connector":"marketo-engage", // keep me\n"name":"x","mappings":[{"source":"a","target":"b"}]}';
      await client.open(formatUri, unformatted);
      const options = { tabSize: 2, insertSpaces: true };
      const edits = await client.connection.sendRequest<{ range: Range; newText: string }[]>(
        'textDocument/formatting',
        { textDocument: { uri: formatUri }, options },
      );
      assert.ok(edits.length > 0);
      const formatted = applyEdits(unformatted, edits);
      assert.ok(formatted.includes('// keep me'), formatted);
      assert.ok(formatted.includes('\n  "name": "x"'), formatted);
      const next = client.nextDiagnostics(formatUri, (d) => d.version === 2);
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: formatUri, version: 2 },
        contentChanges: [{ text: formatted }],
      });
      await next;
      assert.deepEqual(
        await client.connection.sendRequest('textDocument/formatting', {
          textDocument: { uri: formatUri },
          options,
        }),
        [],
      );
      await client.connection.sendNotification('textDocument/didClose', {
        textDocument: { uri: formatUri },
      });
    });

    test('requests for a document that is not open answer empty', T, async () => {
      const unknown = pathToFileURL(path.join(dir, 'never-opened.destination.json')).href;
      const textDocument = { uri: unknown };
      const position = { line: 0, character: 0 };
      const range = { start: position, end: position };
      const send = (method: string, params: object) =>
        client.connection.sendRequest(method, { textDocument, ...params });
      assert.deepEqual(await send('textDocument/completion', { position }), {
        isIncomplete: false,
        items: [],
      });
      assert.equal(await send('textDocument/hover', { position }), null);
      assert.deepEqual(
        await send('textDocument/codeAction', { range, context: { diagnostics: [] } }),
        [],
      );
      assert.deepEqual(await send('textDocument/documentSymbol', {}), []);
      assert.deepEqual(
        await send('textDocument/formatting', { options: { tabSize: 2, insertSpaces: true } }),
        [],
      );
    });

    test(
      'malformed requests answer an error (or nothing) and the server keeps serving',
      T,
      async () => {
        const connection = client.connection;
        const textDocument = { uri };
        const errorOrEmpty = async (method: string, params: unknown) => {
          const outcome = await settle(connection, method, params);
          const result = outcome.result as { items?: unknown[] } | unknown[] | null | undefined;
          const empty =
            result === null ||
            (Array.isArray(result) && result.length === 0) ||
            (!Array.isArray(result) && result?.items?.length === 0);
          assert.ok(
            outcome.error || empty,
            `${method} ${JSON.stringify(params)}: expected an error or an empty result, got ${JSON.stringify(result)?.slice(0, 300)}`,
          );
          return outcome;
        };
        // Missing parameters: the handler fails and answers (an error, today).
        await errorOrEmpty('textDocument/completion', { textDocument });
        await errorOrEmpty('textDocument/hover', { textDocument });
        await errorOrEmpty('textDocument/codeAction', { textDocument });
        await errorOrEmpty('textDocument/codeAction', { textDocument, range: 'x', context: {} });
        await errorOrEmpty('textDocument/formatting', { textDocument });
        await errorOrEmpty('textDocument/documentSymbol', {});
        // A position that is not one.
        await errorOrEmpty('textDocument/hover', { textDocument, position: 'bogus' });
        // Parameters by position where the method takes them by name: InvalidParams.
        const byPosition = await settle(connection, 'textDocument/completion', null);
        assert.equal(byPosition.error?.code, -32602);
        // A method nobody handles: MethodNotFound.
        assert.equal((await settle(connection, 'aepDestination/nope', {})).error?.code, -32601);

        // Still serving: a normal request on the same document works.
        const hover = await connection.sendRequest<{ contents: { value: string } } | null>(
          'textDocument/hover',
          { textDocument, position: positionOf(text, '"syncType"', 3) },
        );
        assert.match(hover?.contents.value ?? '', /Sync type/);
        assert.ok(client.running, 'the server ended');
        assert.doesNotMatch(client.stderr, CRASH);
        // The failures were logged to the client, not to stdout (which would break the stream).
        assert.ok(
          client.notifications.some(
            (n) =>
              n.method === 'window/logMessage' &&
              /(completion|hover|codeAction) failed/.test(
                (n.params as { message: string }).message,
              ),
          ),
        );
        assert.deepEqual(client.protocolErrors, []);
      },
    );

    test('completion with a non-numeric position answers InvalidParams', T, async () => {
      const bogus = await settle(client.connection, 'textDocument/completion', {
        textDocument: { uri },
        position: 'bogus',
      });
      assert.equal(bogus.error?.code, -32602, String(JSON.stringify(bogus.result)).slice(0, 300));
    });

    test('settings come from workspace/configuration (section aepDestination)', T, async () => {
      assert.ok(current!.diagnostics.some((d) => d.code === 'batch-only-audience'));
      client.settings = { disabledRules: ['batch-only-audience'] };
      const next = client.nextDiagnostics(
        uri,
        (d) => !d.diagnostics.some((x) => x.code === 'batch-only-audience'),
      );
      await client.connection.sendNotification('workspace/didChangeConfiguration', {
        settings: null,
      });
      const filtered = await next;
      assert.deepEqual(
        summary(filtered.diagnostics),
        summary(current!.diagnostics.filter((d) => d.code !== 'batch-only-audience')),
      );
      client.settings = null;
    });

    test('aepDestination/simulate runs the export preview in its worker', T, async () => {
      const winbackUri = pathToFileURL(WINBACK_PATH).href;
      const opened = await client.open(winbackUri, fs.readFileSync(WINBACK_PATH, 'utf8'));
      assert.deepEqual(opened.diagnostics, []);
      const response = await client.connection.sendRequest<SimulateResponse>(
        'aepDestination/simulate',
        { uri: winbackUri },
      );
      assert.equal(response.kind, 'result', JSON.stringify(response).slice(0, 500));
      if (response.kind !== 'result') return;
      assert.deepEqual(response.result.summary, WINBACK_SUMMARY);
      assert.equal(response.profilesFile, path.join(REPO_ROOT, 'examples/samples/profiles.csv'));
    });

    test(
      'shutdown then exit: exit code 0 within 5 s, nothing like a crash on stderr',
      T,
      async () => {
        await client.connection.sendRequest('shutdown');
        await client.connection.sendNotification('exit');
        const timeout = new Promise<'timeout'>((resolve) =>
          setTimeout(() => resolve('timeout'), 5_000).unref(),
        );
        const ended = await Promise.race([client.exited, timeout]);
        assert.notEqual(ended, 'timeout', 'the server did not exit within 5 s');
        assert.deepEqual(ended, { code: 0, signal: null });
        client.connection.dispose();
        assert.doesNotMatch(client.stderr, CRASH);
        assert.deepEqual(client.protocolErrors, []);
      },
    );
  });
}

/** A client over any transport: initialize, open the broken config, shutdown, exit. */
async function roundTrip(
  reader: MessageReader,
  writer: MessageWriter,
  exited: Promise<unknown>,
): Promise<Diagnostic[]> {
  const connection = createMessageConnection(reader, writer);
  const ended = exited.then(() => {
    throw new Error('the server ended before the round trip did');
  });
  const diagnostics = new Promise<Diagnostic[]>((resolve) =>
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) =>
      resolve(p.diagnostics),
    ),
  );
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) =>
    p.items.map(() => null),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  const init = await Promise.race([
    connection.sendRequest<{ capabilities: { textDocumentSync: number } }>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
    }),
    ended,
  ]);
  assert.equal(init.capabilities.textDocumentSync, 2);
  await connection.sendNotification('initialized', {});
  await connection.sendNotification('textDocument/didOpen', {
    textDocument: {
      uri: 'file:///tmp/t/broken.destination.jsonc',
      languageId: 'aep-destination',
      version: 1,
      text: BROKEN,
    },
  });
  const published = await Promise.race([diagnostics, ended]);
  await Promise.race([connection.sendRequest('shutdown'), ended]);
  await connection.sendNotification('exit');
  await exited;
  connection.dispose();
  return published;
}

function exitOf(child: ReturnType<typeof spawn>, timeoutMs: number) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the server did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** `aep-dest lsp ARGS` from the bundle, its stdout and stderr collected as they come. */
function spawnLsp(args: string[], stdio: StdioOptions = ['ignore', 'pipe', 'pipe']) {
  const child = spawn(process.execPath, [BUILT_CLI, 'lsp', ...args], { cwd: REPO_ROOT, stdio });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (c: Buffer) => (output.stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output.stderr += c.toString()));
  return { child, output };
}

describe(
  'aep-dest lsp: the other transports (built CLI)',
  { skip: SKIP_BUILT, timeout: 60_000 },
  () => {
    const expectedCodes = [...new Set(expectedDiagnostics(BROKEN, 'file:///x').map((d) => d.code))];

    /** The broken config's diagnostics came back, then a clean exit with nothing beside the protocol. */
    async function assertRoundTrip(
      published: Diagnostic[],
      exited: ReturnType<typeof exitOf>,
      output: { stdout: string; stderr: string },
    ): Promise<void> {
      assert.deepEqual([...new Set(published.map((d) => d.code))], expectedCodes);
      assert.deepEqual(await exited, { code: 0, signal: null });
      assert.equal(output.stdout, '');
      assert.doesNotMatch(output.stderr, CRASH);
    }

    /** A client listening on `server`: the server started with `args` connects, and talks. */
    async function throughSocket(server: net.Server, args: string[]): Promise<void> {
      const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
      const { child, output } = spawnLsp(args);
      const exited = exitOf(child, 30_000);
      try {
        const socket = await accepted;
        const reader = new SocketMessageReader(socket);
        const published = await roundTrip(reader, new SocketMessageWriter(socket), exited);
        await assertRoundTrip(published, exited, output);
      } finally {
        child.kill();
        server.close();
      }
    }

    test('--socket=PORT connects to a client listening on that port', T, async () => {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as net.AddressInfo).port;
      await throughSocket(server, [`--socket=${port}`]);
    });

    test('--pipe=NAME connects to a client listening on that Unix socket', T, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aep-dest-pipe-'));
      const name = path.join(dir, 'lsp.sock');
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(name, resolve));
      try {
        await throughSocket(server, [`--pipe=${name}`]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test(
      '--node-ipc talks over the IPC channel of a forked server, nothing on stdout',
      T,
      async () => {
        const { child, output } = spawnLsp(['--node-ipc'], ['ignore', 'pipe', 'pipe', 'ipc']);
        const exited = exitOf(child, 30_000);
        try {
          const reader = new IPCMessageReader(child);
          const published = await roundTrip(reader, new IPCMessageWriter(child), exited);
          await assertRoundTrip(published, exited, output);
        } finally {
          child.kill();
        }
      },
    );

    test('usage errors exit 2 with one line on stderr and nothing on stdout', T, async () => {
      for (const args of [[], ['--stdio', '--node-ipc'], ['--socket=nope'], ['--stdio', 'extra']]) {
        const { child, output } = spawnLsp(args);
        assert.deepEqual(await exitOf(child, 15_000), { code: 2, signal: null }, args.join(' '));
        assert.equal(output.stdout, '');
        assert.match(
          output.stderr,
          /^aep-dest: .+\naep-dest: run 'aep-dest lsp --help' for usage\n$/,
        );
      }
    });

    test('--help explains the transports on stdout', T, async () => {
      const { child, output } = spawnLsp(['--help']);
      assert.deepEqual(await exitOf(child, 15_000), { code: 0, signal: null });
      for (const option of ['--stdio', '--node-ipc', '--socket=<port>', '--pipe=<name>']) {
        assert.ok(output.stdout.includes(option), `${option} not in the help`);
      }
    });
  },
);
