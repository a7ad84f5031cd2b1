/**
 * The language server never dies from one bad message. Through the protocol (LspTestClient):
 * requests with malformed params each get an error or an empty answer, a failing handler logs
 * to the client (window/logMessage, type Error), and the server keeps answering afterwards.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { REPO_ROOT, VALID_CONFIG, tempFiles } from '../helpers';
import { LspTestClient } from '../lspClient';

const BROKEN = fs.readFileSync(path.join(REPO_ROOT, 'examples/broken.destination.jsonc'), 'utf8');

interface LogMessage {
  type: number;
  message: string;
}

type Outcome = { ok: unknown } | { error: { code: number; message: string } };

function isEmpty(result: unknown): boolean {
  if (result === null || result === undefined) return true;
  if (Array.isArray(result)) return result.length === 0;
  if (typeof result === 'object' && 'items' in result) {
    return Array.isArray(result.items) && result.items.length === 0;
  }
  return false;
}

describe('the server survives malformed requests and notifications', () => {
  let client: LspTestClient;
  let dir: string;
  let brokenUri: string;
  let validUri: string;

  before(async () => {
    dir = tempFiles();
    brokenUri = pathToFileURL(path.join(dir, 'broken.destination.jsonc')).href;
    validUri = pathToFileURL(path.join(dir, 'valid.destination.json')).href;
    client = new LspTestClient();
    await client.initialize();
    const published = await client.open(brokenUri, BROKEN);
    assert.ok(published.diagnostics.length > 5);
    await client.open(validUri, VALID_CONFIG);
  });

  after(async () => {
    assert.equal(await client.stop(), 0, `the server did not exit cleanly: ${client.stderr}`);
  });

  function logs(): LogMessage[] {
    return client.notifications
      .filter((n) => n.method === 'window/logMessage')
      .map((n) => n.params as LogMessage);
  }

  async function send(method: string, params: unknown): Promise<Outcome> {
    try {
      return { ok: await client.connection.sendRequest(method, params) };
    } catch (error) {
      const e = error as { code: number; message: string };
      return { error: { code: e.code, message: e.message } };
    }
  }

  /** The server still answers normally: a hover with content on the valid config's `connector`. */
  async function assertAlive(after: string): Promise<void> {
    const hover = (await client.connection.sendRequest<unknown>('textDocument/hover', {
      textDocument: { uri: validUri },
      position: { line: 1, character: 5 },
    })) as { contents?: { value?: string } } | null;
    assert.ok(hover?.contents?.value, `no hover after ${after}; stderr: ${client.stderr}`);
  }

  /** Waits (briefly) for a logged error naming `handler` among the messages after `from`. */
  async function loggedError(from: number, handler: string): Promise<LogMessage | undefined> {
    for (let i = 0; i < 50; i++) {
      const found = logs()
        .slice(from)
        .find((l) => l.type === 1 && l.message.includes(handler));
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return undefined;
  }

  const range = { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } };
  const origin = { line: 0, character: 0 };
  const twoSpaces = { tabSize: 2, insertSpaces: true };
  /** A well-formed, non-empty answer is fine too: the server makes sense of these. */
  const LENIENT = new Set([
    'formatting with nonsense options',
    'rangeFormatting without range', // formats the whole document
  ]);
  /** The malformed params of one method, by case name; the server logs failures as `handler`. */
  function casesOf(method: string, handler: string, params: Record<string, () => unknown>) {
    return Object.entries(params).map(([name, p]) => ({
      name,
      method,
      handler,
      params: p,
      lenient: LENIENT.has(name),
    }));
  }
  const CASES = [
    ...casesOf('textDocument/hover', 'hover', {
      'hover without textDocument': () => ({ position: origin }),
      'hover with a number as textDocument': () => ({ textDocument: 5, position: origin }),
      'hover without position': () => ({ textDocument: { uri: brokenUri } }),
      'hover with a string position': () => ({
        textDocument: { uri: brokenUri },
        position: 'here',
      }),
      'hover at a huge line number': () => ({
        textDocument: { uri: brokenUri },
        position: { line: 1e9, character: 0 },
      }),
      'hover at negative and non-integer positions': () => ({
        textDocument: { uri: brokenUri },
        position: { line: -1, character: 2.5 },
      }),
      'hover on a document that is not open': () => ({
        textDocument: { uri: 'file:///nowhere/x.destination.json' },
        position: origin,
      }),
    }),
    ...casesOf('textDocument/completion', 'completion', {
      'completion without position': () => ({ textDocument: { uri: brokenUri } }),
      'completion at MAX_SAFE_INTEGER': () => ({
        textDocument: { uri: brokenUri },
        position: { line: Number.MAX_SAFE_INTEGER, character: Number.MAX_SAFE_INTEGER },
      }),
      'completion with a null uri': () => ({ textDocument: { uri: null }, position: origin }),
    }),
    ...casesOf('textDocument/codeAction', 'codeAction', {
      'codeAction without context': () => ({ textDocument: { uri: brokenUri }, range }),
      'codeAction with a number as range': () => ({
        textDocument: { uri: brokenUri },
        range: 7,
        context: { diagnostics: [] },
      }),
      'codeAction with null diagnostics': () => ({
        textDocument: { uri: brokenUri },
        range,
        context: { diagnostics: [null, 5, 'x'] },
      }),
      'codeAction with garbage diagnostic data': () => ({
        textDocument: { uri: brokenUri },
        range,
        context: {
          diagnostics: [
            { code: 'schema', range, data: { property: '[not json', replacements: 'x' } },
            { code: 'schema', range, data: { property: '["a",{"b":1}]', replacements: [1, null] } },
            { code: 'missing-required-mapping', range, data: { field: { toString: 1 } } },
            {
              code: 'duplicate-key',
              range: { start: { line: -5, character: -5 }, end: { line: 1e9, character: 0 } },
            },
            { code: 'invalid-munchkin-id', range, data: { replacements: [null, 42] } },
            { code: 'unknown-marketo-field', range, data: 'garbage' },
            { code: 42, range, data: [] },
          ],
        },
      }),
    }),
    ...casesOf('textDocument/formatting', 'formatting', {
      'formatting without options': () => ({ textDocument: { uri: brokenUri } }),
      'formatting with nonsense options': () => ({
        textDocument: { uri: brokenUri },
        options: { tabSize: -3, insertSpaces: 'yes' },
      }),
    }),
    ...casesOf('textDocument/rangeFormatting', 'rangeFormatting', {
      'rangeFormatting with an inverted range': () => ({
        textDocument: { uri: brokenUri },
        options: twoSpaces,
        range: { start: { line: 20, character: 0 }, end: { line: 1, character: 0 } },
      }),
      'rangeFormatting without range': () => ({
        textDocument: { uri: brokenUri },
        options: twoSpaces,
      }),
    }),
    ...casesOf('textDocument/documentSymbol', 'documentSymbol', {
      'documentSymbol with a numeric uri': () => ({ textDocument: { uri: 42 } }),
      'documentSymbol without params': () => ({}),
    }),
    ...casesOf('aepDestination/simulate', 'aepDestination/simulate', {
      'simulate without a uri': () => ({}),
      'simulate with a numeric uri': () => ({ uri: 5 }),
      'simulate with numbers as input files': () => ({
        uri: validUri,
        profiles: 5,
        leads: { path: 'x' },
      }),
    }),
  ];

  for (const c of CASES) {
    test(`${c.name}: an error or an empty answer, logged, and the server lives on`, async () => {
      const from = logs().length;
      const outcome = await send(c.method, c.params());
      if ('error' in outcome) {
        assert.ok(
          outcome.error.code === -32603 || outcome.error.code === -32602,
          `unexpected error ${JSON.stringify(outcome.error)}`,
        );
        if (outcome.error.code === -32603) {
          const log = await loggedError(from, c.handler);
          assert.ok(
            log,
            `no window/logMessage error from ${c.handler}: ${JSON.stringify(logs().slice(from))}`,
          );
          assert.ok(
            !/\n\s+at .*\n\s+at /.test(outcome.error.message),
            'the answer carries a stack',
          );
        }
      } else if (c.lenient) {
        assert.ok(Array.isArray(outcome.ok), `not a list of edits: ${JSON.stringify(outcome.ok)}`);
      } else {
        // *Suppress CODE on this line* reads only the code and the line, never the data.
        const answer = Array.isArray(outcome.ok)
          ? (outcome.ok as unknown[]).filter((a) => !isSuppressAction(a))
          : outcome.ok;
        assert.ok(isEmpty(answer), `not empty: ${JSON.stringify(answer).slice(0, 300)}`);
      }
      await assertAlive(c.name);
    });
  }

  test('simulate on a directory, a remote file URI and a missing file: input errors', async () => {
    for (const uri of [
      pathToFileURL(dir).href,
      'file://remote-host/share/x.destination.json',
      'file:///nowhere/x.destination.json',
      'untitled:Untitled-1',
    ]) {
      const outcome = await send('aepDestination/simulate', { uri });
      assert.ok('ok' in outcome, JSON.stringify(outcome));
      assert.equal((outcome.ok as { kind: string }).kind, 'inputError');
    }
    await assertAlive('simulate on odd URIs');
  });

  test('an unknown method and a request cancelled before it runs', async () => {
    const unknown = await send('aepDestination/noSuchRequest', { x: 1 });
    assert.ok('error' in unknown && unknown.error.code === -32601);
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest(
      'textDocument/completion',
      { textDocument: { uri: brokenUri }, position: { line: 2, character: 3 } },
      source.token,
    );
    source.cancel();
    try {
      await pending; // answered before the cancellation arrived
    } catch (error) {
      assert.equal((error as { code: number }).code, -32800);
    }
    await assertAlive('an unknown method and a cancellation');
  });

  test('garbage notifications: the server logs and keeps validating', async () => {
    const from = logs().length;
    const notify = (method: string, params: unknown) =>
      client.connection.sendNotification(method, params);
    await notify('textDocument/didChange', {
      textDocument: { uri: brokenUri, version: 2 },
      contentChanges: [{ range: null, text: 5 }],
    });
    await notify('textDocument/didChange', {
      textDocument: { uri: brokenUri, version: 3 },
      contentChanges: [
        {
          range: { start: { line: 1e9, character: 0 }, end: { line: -1, character: 0 } },
          text: '',
        },
      ],
    });
    await notify('textDocument/didOpen', { textDocument: { uri: 'file:///nowhere/no-text.json' } });
    await notify('textDocument/didOpen', {
      textDocument: {
        uri: 'file://remote-host/x.destination.json',
        languageId: 'x',
        version: 1,
        text: '{"marketoFields": "./f.json"',
      },
    });
    await notify('textDocument/didClose', {});
    await notify('textDocument/didSave', { textDocument: 7 });
    await notify('workspace/didChangeWatchedFiles', { changes: 'all of them' });
    await notify('$/cancelRequest', { id: { not: 'an id' } });
    await notify('aepDestination/unknownNotification', [1, 2, 3]);
    await assertAlive('garbage notifications');
    // Diagnostics still flow: a new document is validated.
    const uri = pathToFileURL(path.join(dir, 'after.destination.json')).href;
    const published = await client.open(uri, BROKEN);
    assert.ok(published.diagnostics.length > 5);
    assert.ok(logs().length >= from);
  });

  test('garbage settings from the client: defaults are used, validation goes on', async () => {
    const answers: unknown[] = [
      [{ maxFileSizeMB: 'big', disabledRules: 'syntax' }],
      [42],
      'not a list',
      [null],
    ];
    for (const answer of answers) {
      client.connection.onRequest('workspace/configuration', () => answer as null);
      const uri = pathToFileURL(
        path.join(dir, `settings-${JSON.stringify(answer).length}.destination.json`),
      ).href;
      await client.connection.sendNotification('workspace/didChangeConfiguration', {
        settings: { aepDestination: answer },
      });
      const published = await client.open(uri, BROKEN);
      assert.ok(published.diagnostics.length > 5, JSON.stringify(answer));
    }
    client.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) =>
      params.items.map(() => null),
    );
    await assertAlive('garbage settings');
  });
});

function isSuppressAction(action: unknown): boolean {
  const title = (action as { title?: unknown } | null)?.title;
  return typeof title === 'string' && title.startsWith('Suppress ');
}
