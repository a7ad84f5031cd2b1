/**
 * Hostile files through the language service, the CLI in-process (`main()`), the built CLI as a
 * process (when dist/ exists) and, for the size limit, the language server over the protocol.
 * Small files live in test/fixtures/hostile/; big ones are generated into a temp directory.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DestinationDocument } from '../../server/src/engine/document';
import type { Finding } from '../../server/src/engine/types';
import {
  bigNameConfig,
  deepNestingCases,
  longDescriptionConfig,
  longSingleLineConfig,
  writeSizedConfig,
} from '../fixtures/largeInputs';
import { type CliRun, runCli as cli } from '../cliRunner';
import { REPO_ROOT, applyEdits, service, tempFiles } from '../helpers';
import { LspTestClient } from '../lspClient';
import { DocumentBounds, checkServiceOnText, checkSymbols, tokenSequence } from './properties';

const HOSTILE = path.join(REPO_ROOT, 'test/fixtures/hostile');
const BUILT_CLI = path.join(REPO_ROOT, 'dist/cli/aep-dest.js');
const MB = 1024 * 1024;

/** The bundled CLI as a process, or undefined when dist/ has not been built. */
function builtCli(cwd: string, ...argv: string[]): CliRun | undefined {
  if (!fs.existsSync(BUILT_CLI)) return undefined;
  const r = spawnSync(process.execPath, [BUILT_CLI, ...argv], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * MB,
  });
  assert.equal(r.error, undefined, `the built CLI did not run: ${String(r.error)}`);
  assertNoStack(r.stderr);
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function assertNoStack(stderr: string): void {
  assert.ok(!/\n\s+at /.test(stderr), `stack trace on stderr:\n${stderr}`);
}

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
}

function diagnosticsOf(run: CliRun): JsonDiagnostic[] {
  const output = JSON.parse(run.stdout) as { files: { diagnostics: JsonDiagnostic[] }[] };
  return output.files.flatMap((f) => f.diagnostics);
}

/** The same verdict from main() and, when built, from the bundled CLI. */
async function validateEverywhere(cwd: string, file: string): Promise<CliRun> {
  const inProcess = await cli(cwd, 'validate', '--format', 'json', file);
  const built = builtCli(cwd, 'validate', '--format', 'json', file);
  if (built) {
    assert.equal(built.code, inProcess.code, `built CLI exit code on ${file}: ${built.stderr}`);
    if (inProcess.code !== 2) {
      assert.deepEqual(
        diagnosticsOf(built).map((d) => d.code),
        diagnosticsOf(inProcess).map((d) => d.code),
        `built CLI findings on ${file}`,
      );
    }
  }
  // The text format never prints a stack trace or a multi-line message either.
  const text = await cli(cwd, 'validate', file);
  assert.equal(text.code, inProcess.code);
  return inProcess;
}

function readFixture(name: string): string {
  // What the editor (and the CLI) sees: UTF-8, invalid sequences as U+FFFD.
  return new TextDecoder('utf-8').decode(fs.readFileSync(path.join(HOSTILE, name)));
}

function fixtureUri(name: string): string {
  return pathToFileURL(path.join(HOSTILE, name)).href;
}

function codesOf(findings: readonly { code: string }[]): string[] {
  return findings.map((f) => f.code);
}

function positionsOf(findings: Finding[]): string[] {
  return findings.map(
    (f) =>
      `${f.code}@${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`,
  );
}

const OBJECT_PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
function assertNoPollution(): void {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), OBJECT_PROTOTYPE_KEYS);
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype polluted');
  assert.equal(Object.prototype.toString.call({}), '[object Object]');
}

/** Every feature of the service on a fixture, with its invariants (see properties.ts). */
function serviceSurvives(name: string): Finding[] {
  const text = readFixture(name);
  checkServiceOnText(text, fixtureUri(name), [], { everyOffsetUpTo: 2000 });
  return service().validate(TextDocument.create(fixtureUri(name), 'aep-destination', 1, text));
}

describe('small hostile files (test/fixtures/hostile)', () => {
  test('empty and whitespace-only files: one syntax error, exit 1', async () => {
    for (const name of ['empty.destination.json', 'whitespace.destination.json']) {
      const findings = serviceSurvives(name);
      assert.deepEqual(codesOf(findings), ['syntax'], name);
      assert.match(findings[0]?.message ?? '', /empty/);
      const run = await validateEverywhere(HOSTILE, name);
      assert.equal(run.code, 1, name);
      assert.deepEqual(codesOf(diagnosticsOf(run)), ['syntax']);
    }
  });

  test('a byte-order mark changes nothing, ranges included', async () => {
    assert.deepEqual(serviceSurvives('bom.destination.json'), []);
    assert.equal((await validateEverywhere(HOSTILE, 'bom.destination.json')).code, 0);
    const broken = fs.readFileSync(
      path.join(REPO_ROOT, 'examples/broken.destination.jsonc'),
      'utf8',
    );
    const plain = service().validate(TextDocument.create('file:///x/a.json', 'x', 1, broken));
    const withBom = service().validate(
      TextDocument.create('file:///x/b.json', 'x', 1, '\ufeff' + broken),
    );
    assert.ok(plain.length > 5);
    assert.deepEqual(positionsOf(withBom), positionsOf(plain));
    // The CLI drops the BOM when decoding, so its findings are the same too.
    const dir = tempFiles({ 'bom.destination.jsonc': Buffer.from('\ufeff' + broken, 'utf8') });
    const run = await cli(dir, 'validate', '--format', 'json', 'bom.destination.jsonc');
    assert.deepEqual(codesOf(diagnosticsOf(run)), codesOf(plain));
  });

  test('CRLF: same findings at the same positions as LF; fixes keep CRLF', async () => {
    assert.deepEqual(serviceSurvives('crlf.destination.json'), []);
    assert.equal((await validateEverywhere(HOSTILE, 'crlf.destination.json')).code, 0);
    const crlf = readFixture('crlf-broken.destination.jsonc');
    const lf = crlf.replace(/\r\n/g, '\n');
    const svc = service();
    const doc = TextDocument.create('file:///x/crlf.destination.jsonc', 'x', 1, crlf);
    const findings = svc.validate(doc);
    assert.deepEqual(
      positionsOf(findings),
      positionsOf(svc.validate(TextDocument.create('file:///x/lf.destination.jsonc', 'x', 1, lf))),
    );
    let fixes = 0;
    for (const f of findings) {
      for (const action of svc.codeActions(doc, f.range, [f])) {
        const fixed = applyEdits(crlf, action.edit.changes[doc.uri] ?? []);
        assert.ok(!/(?<!\r)\n/.test(fixed), `"${action.title}" wrote a bare LF into a CRLF file`);
        fixes++;
      }
    }
    assert.ok(fixes >= 5, `only ${fixes} fixes`);
    serviceSurvives('crlf-broken.destination.jsonc');
    assert.equal((await validateEverywhere(HOSTILE, 'crlf-broken.destination.jsonc')).code, 1);
  });

  test('invalid UTF-8: U+FFFD inside a string is fine, outside one is a syntax error', async () => {
    assert.ok(readFixture('invalid-utf8.destination.json').includes('\ufffd'));
    assert.deepEqual(serviceSurvives('invalid-utf8.destination.json'), []);
    assert.equal((await validateEverywhere(HOSTILE, 'invalid-utf8.destination.json')).code, 0);
    const outside = serviceSurvives('invalid-utf8-outside-strings.destination.json');
    assert.ok(codesOf(outside).includes('syntax'));
    const run = await validateEverywhere(HOSTILE, 'invalid-utf8-outside-strings.destination.json');
    assert.equal(run.code, 1);
  });

  test('NUL bytes: the file is binary, one syntax error and nothing else', async () => {
    const findings = serviceSurvives('nul.destination.json');
    assert.deepEqual(codesOf(findings), ['syntax']);
    assert.match(findings[0]?.message ?? '', /NUL/);
    const run = await validateEverywhere(HOSTILE, 'nul.destination.json');
    assert.equal(run.code, 1);
    assert.match(diagnosticsOf(run)[0]?.message ?? '', /binary/);
  });

  test('duplicate keys: a warning each, and the fix removes exactly that one', async () => {
    const text = readFixture('duplicate-keys.destination.json');
    const findings = serviceSurvives('duplicate-keys.destination.json');
    const duplicates = findings.filter((f) => f.code === 'duplicate-key');
    assert.equal(duplicates.length, 3);
    assert.deepEqual(
      findings.filter((f) => f.severity === 'error'),
      [],
    );
    const svc = service();
    const doc = TextDocument.create(fixtureUri('duplicate-keys.destination.json'), 'x', 1, text);
    for (const d of duplicates) {
      const [action] = svc.codeActions(doc, d.range, [d]);
      assert.ok(action, `no fix for ${d.message}`);
      const after = service().validate(
        TextDocument.create(
          'file:///x/fixed.json',
          'x',
          1,
          applyEdits(text, action.edit.changes[doc.uri] ?? []),
        ),
      );
      assert.equal(after.filter((f) => f.code === 'duplicate-key').length, 2);
      assert.ok(!codesOf(after).includes('syntax'));
    }
    const run = await validateEverywhere(HOSTILE, 'duplicate-keys.destination.json');
    assert.equal(run.code, 0);
    assert.equal(codesOf(diagnosticsOf(run)).filter((c) => c === 'duplicate-key').length, 3);
  });

  test('__proto__ and constructor keys are plain data and pollute nothing', async () => {
    const name = 'proto-keys.destination.json';
    const findings = serviceSurvives(name);
    assert.deepEqual(
      findings.filter((f) => f.code === 'schema').map((f) => f.message.slice(0, 31)),
      [
        'Property "__proto__" is not all',
        'Property "constructor" is not a',
        'Property "__proto__" is not all',
        'Property "constructor" is not a',
        'Property "__proto__" is not all',
      ],
    );
    // The __proto__ object's syncType is data, not the config's: no audienceOnly finding.
    assert.ok(!codesOf(findings).includes('partition-not-allowed'));
    const doc = new DestinationDocument(
      TextDocument.create('file:///x/p.json', 'x', 1, readFixture(name)),
    );
    const value = doc.jsonValue as Record<string, unknown>;
    assert.ok(Object.prototype.hasOwnProperty.call(value, '__proto__'));
    assert.equal((value.__proto__ as Record<string, unknown>).polluted, true);
    assert.equal(value.syncType, 'audienceAndProfile');
    const symbols = service().documentSymbols(
      TextDocument.create('file:///x/p.json', 'x', 1, readFixture(name)),
    );
    assert.ok(symbols.some((s) => s.name === '__proto__'));
    for (const format of ['json', 'sarif', 'text']) {
      const run = await cli(HOSTILE, 'validate', '--format', format, name);
      assert.equal(run.code, 1);
    }
    assert.equal((await validateEverywhere(HOSTILE, name)).code, 1);
    // simulate refuses the config (schema errors) without touching any prototype.
    const simulate = await cli(
      HOSTILE,
      'simulate',
      name,
      '--profiles',
      'x.csv',
      '--leads',
      'y.csv',
    );
    assert.equal(simulate.code, 1);
    assertNoPollution();
  });

  test('huge numbers (1e400, 100 digits) are schema errors, never a crash', async () => {
    const findings = serviceSurvives('huge-numbers.destination.json');
    assert.ok(findings.length > 0);
    assert.ok(
      findings.every((f) => f.code === 'schema'),
      JSON.stringify(codesOf(findings)),
    );
    assert.ok(findings.some((f) => /workspace must be a string/.test(f.message)));
    const run = await validateEverywhere(HOSTILE, 'huge-numbers.destination.json');
    assert.equal(run.code, 1);
    // Formatting keeps every digit.
    const text = readFixture('huge-numbers.destination.json');
    const doc = TextDocument.create('file:///x/n.json', 'x', 1, text);
    const formatted = applyEdits(text, service().format(doc, { tabSize: 2, insertSpaces: true }));
    assert.ok(formatted.includes('9'.repeat(100)) && formatted.includes('1e400'));
    assertNoPollution();
  });
});

/** A syntactically valid config of at least `bytes` characters on one line: many mappings. */
describe('big and deep files (generated)', () => {
  test('50 MB: the CLI reads it and reports file-too-large alone; above 50 MiB it refuses', async () => {
    const dir = tempFiles();
    const big = path.join(dir, 'big.destination.json');
    writeSizedConfig(big, 50_000_000);
    assert.equal(fs.statSync(big).size, 50_000_000);

    const run = await cli(dir, 'validate', '--format', 'json', 'big.destination.json');
    assert.equal(run.code, 0, run.stderr);
    const diagnostics = diagnosticsOf(run);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity]),
      [['file-too-large', 'information']],
    );
    assert.match(diagnostics[0]?.message ?? '', /47\.7 MB/);
    const built = builtCli(dir, 'validate', 'big.destination.json');
    if (built) {
      assert.equal(built.code, 0, built.stderr);
      assert.match(built.stdout, /file-too-large/);
    }

    // One byte over the CLI's 50 MiB read limit: a file error (exit 2), one line, no stack.
    fs.truncateSync(big, 50 * MB + 1);
    const refused = await cli(dir, 'validate', 'big.destination.json');
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^aep-dest: cannot read big\.destination\.json: 50\.0 MB is larger than the 50 MB limit\n$/,
    );
    const builtRefused = builtCli(dir, 'validate', 'big.destination.json');
    if (builtRefused) {
      assert.equal(builtRefused.code, 2);
      assert.equal(builtRefused.stderr, refused.stderr);
    }
  });

  test('50 MB in the service: one information diagnostic, never parsed, every feature answers empty', () => {
    const text = bigNameConfig(50_000_000);
    const svc = service();
    const doc = TextDocument.create('file:///x/big.destination.json', 'x', 1, text);
    const findings = svc.validate(doc);
    // What keeps it fast: the text is not parsed, and every feature reads that one non-parse.
    const parsed = svc.parse(doc);
    assert.equal(parsed.notParsed, 'too-large');
    assert.equal(parsed.root, undefined);
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity]),
      [['file-too-large', 'information']],
    );
    assert.deepEqual(findings[0]?.range, {
      start: { line: 0, character: 0 },
      end: { line: 0, character: 0 },
    });
    const middle = doc.positionAt(25_000_000);
    assert.deepEqual(svc.complete(doc, middle).items, []);
    assert.equal(svc.hover(doc, middle), null);
    assert.deepEqual(svc.documentSymbols(doc), []);
    assert.deepEqual(svc.format(doc, { tabSize: 2, insertSpaces: true }), []);
    assert.deepEqual(svc.codeActions(doc, findings[0].range, findings), []);
    assert.equal(svc.parse(doc), parsed, 'a feature parsed the text again');
    // With a larger limit (the setting), the same text is validated.
    const validated = svc.validate(doc, { maxFileSizeMB: 60 });
    assert.ok(!codesOf(validated).includes('file-too-large'));
    assert.ok(codesOf(validated).includes('schema'));
  });

  test('nesting 100,000 deep, however disguised: one syntax error, nothing throws', async () => {
    const cases = deepNestingCases(100_000);
    const files: Record<string, string> = {};
    for (const [name, text] of Object.entries(cases)) {
      const svc = service();
      const doc = TextDocument.create('file:///x/deep.destination.json', 'x', 1, text);
      const findings = svc.validate(doc);
      assert.deepEqual(codesOf(findings), ['syntax'], name);
      // No tree is built for any of them, so no feature walks 100,000 levels.
      const parsed = svc.parse(doc);
      assert.equal(parsed.notParsed, 'too-deep', name);
      assert.equal(parsed.root, undefined, name);
      assert.match(findings[0]?.message ?? '', /Nesting is deeper than 256 levels/, name);
      const bounds = new DocumentBounds(text);
      bounds.checkRange(findings[0]!.range, name);
      for (const offset of [0, 1, 5, text.length >> 1, text.length]) {
        const position = doc.positionAt(offset);
        assert.deepEqual(svc.complete(doc, position).items, [], name);
        assert.equal(svc.hover(doc, position), null, name);
      }
      assert.deepEqual(svc.documentSymbols(doc), [], name);
      assert.deepEqual(svc.format(doc, { tabSize: 2, insertSpaces: true }), [], name);
      assert.deepEqual(svc.codeActions(doc, findings[0]!.range, findings), [], name);
      assert.equal(svc.parse(doc), parsed, `${name}: a feature parsed the text again`);
      files[`${Object.keys(files).length}.destination.json`] = text;
    }
    const dir = tempFiles(files);
    for (const file of Object.keys(files)) {
      const run = await validateEverywhere(dir, file);
      assert.equal(run.code, 1, file);
      assert.deepEqual(codesOf(diagnosticsOf(run)), ['syntax'], file);
    }
  });

  test('a 100,000-deep marketoFields catalog: one finding on the config, nothing throws', async () => {
    const config = fs
      .readFileSync(path.join(HOSTILE, 'valid.destination.json'), 'utf8')
      .replace('"mappings"', '"marketoFields": "./deep.json",\n  "mappings"');
    const dir = tempFiles({
      'c.destination.json': config,
      'deep.json': '{"result":' + '['.repeat(100_000),
    });
    const uri = pathToFileURL(path.join(dir, 'c.destination.json')).href;
    const svc = service();
    const doc = TextDocument.create(uri, 'x', 1, config);
    const findings = svc.validate(doc);
    assert.deepEqual(codesOf(findings), ['marketo-fields-unreadable']);
    assert.match(findings[0]?.message ?? '', /deep\.json: nested too deeply/);
    const at = doc.positionAt(config.indexOf('"target": "firstName"') + 12);
    assert.ok(svc.complete(doc, at).items.length > 0);
    assert.ok(svc.hover(doc, at));
    const run = await validateEverywhere(dir, 'c.destination.json');
    assert.equal(run.code, 1);
    assert.deepEqual(codesOf(diagnosticsOf(run)), ['marketo-fields-unreadable']);
  });

  test('a 1 MB single line: validated, completed, hovered and formatted token for token', async () => {
    const text = longSingleLineConfig(MB);
    assert.ok(text.length >= MB && !text.includes('\n'));
    const svc = service();
    const doc = TextDocument.create('file:///x/line.destination.json', 'x', 1, text);
    const findings = svc.validate(doc);
    assert.deepEqual(codesOf(findings), ['too-many-mapped-attributes']);
    const parsed = svc.parse(doc);
    const bounds = new DocumentBounds(text);
    for (const offset of [0, 1, text.indexOf('custom7'), text.length >> 1, text.length - 3]) {
      const position = doc.positionAt(offset);
      for (const item of svc.complete(doc, position).items)
        bounds.checkRange(item.textEdit.range, 'completion');
      const hover = svc.hover(doc, position);
      if (hover) bounds.checkRange(hover.range, 'hover');
    }
    checkSymbols(bounds, svc.documentSymbols(doc));
    const edits = svc.format(doc, { tabSize: 2, insertSpaces: true });
    const formatted = applyEdits(text, edits);
    assert.ok(formatted.split('\n').length > 20_000);
    assert.deepEqual(tokenSequence(formatted), tokenSequence(text));
    assert.equal(svc.parse(doc), parsed, 'a feature parsed the text again');
    const dir = tempFiles({ 'line.destination.json': text });
    const run = await validateEverywhere(dir, 'line.destination.json');
    assert.equal(run.code, 0);
  });

  test('a 10 MB string value: validated (below the limit), every feature answers', async () => {
    const base = fs.readFileSync(path.join(HOSTILE, 'valid.destination.json'), 'utf8');
    const text = longDescriptionConfig(base);
    assert.ok(text.length > 10_000_000 && text.length < 10 * MB);
    const svc = service();
    const doc = TextDocument.create('file:///x/string.destination.json', 'x', 1, text);
    assert.deepEqual(svc.validate(doc), []);
    const parsed = svc.parse(doc);
    const bounds = new DocumentBounds(text);
    for (const offset of [
      text.indexOf('long text') + 5,
      text.length >> 1,
      text.lastIndexOf('text '),
    ]) {
      const position = doc.positionAt(offset);
      for (const item of svc.complete(doc, position).items)
        bounds.checkRange(item.textEdit.range, 'completion');
      const hover = svc.hover(doc, position);
      assert.ok(hover, 'hover on the description');
      bounds.checkRange(hover.range, 'hover');
    }
    checkSymbols(bounds, svc.documentSymbols(doc));
    const formatted = applyEdits(text, svc.format(doc, { tabSize: 4, insertSpaces: true }));
    assert.equal(formatted.length > text.length, true);
    assert.ok(formatted.includes(`"${'long text '.repeat(1_000_000)}"`));
    assert.equal(svc.parse(doc), parsed, 'a feature parsed the text again');
    const dir = tempFiles({ 'string.destination.json': text });
    const run = await validateEverywhere(dir, 'string.destination.json');
    assert.equal(run.code, 0);
    assert.deepEqual(diagnosticsOf(run), []);
  });
});

describe('the size limit over the protocol', () => {
  let client: LspTestClient;
  before(async () => {
    client = new LspTestClient();
    await client.initialize();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  test('a 12 MB document gets exactly one diagnostic, file-too-large, and empty answers', async () => {
    const uri = 'file:///aep-dest-robustness/twelve.destination.json';
    const text = bigNameConfig(12 * MB, 'y');
    const published = await client.open(uri, text);
    assert.deepEqual(
      published.diagnostics.map((d) => [d.code, d.severity]),
      [['file-too-large', 3]],
    );
    assert.match(published.diagnostics[0]?.message ?? '', /12\.0 MB/);
    // The other features answer empty.
    const position = { line: 0, character: 6 * MB };
    const hover = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position,
    });
    assert.equal(hover, null);
    const symbols = await client.connection.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri },
    });
    assert.deepEqual(symbols, []);
    // A small document still validates normally afterwards.
    const small = await client.open(
      'file:///aep-dest-robustness/small.destination.json',
      fs.readFileSync(path.join(HOSTILE, 'valid.destination.json'), 'utf8'),
    );
    assert.deepEqual(small.diagnostics, []);
  });
});
