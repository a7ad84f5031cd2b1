// untrusted-workspace-file and path-outside-workspace (issue 14, points 1–2): in the editor a
// config reads only what lies in its workspace, and nothing in Restricted Mode; the CLI reads
// what its user points it at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FileAccessPolicy } from '../../server/src/engine/fileAccess';
import type { FileHost } from '../../server/src/engine/catalogLoader';
import { nodeFileHost } from '../../server/src/engine/catalogLoader';
import {
  VALID_CONFIG,
  REPO_ROOT,
  findingsOf,
  service,
  tempFiles,
  textAt,
  textDocument,
  withProperties,
} from '../helpers';

const CATALOG = fs.readFileSync(
  path.join(REPO_ROOT, 'test/fixtures/marketo-catalogs/describe2.json'),
  'utf8',
);

/** A workspace folder holding the config and a catalog, and a file outside it. */
function workspace(): { root: string; config: string; outside: string } {
  const parent = tempFiles({
    'repo/marketo/describe2.json': CATALOG,
    'elsewhere/describe2.json': CATALOG,
  });
  return {
    root: path.join(parent, 'repo'),
    config: path.join(parent, 'repo', 'winback.destination.json'),
    outside: path.join(parent, 'elsewhere', 'describe2.json'),
  };
}

/** A file host that records every read, to prove what was not read. */
function recordingHost(): FileHost & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    stat: (p) => {
      reads.push(p);
      return nodeFileHost.stat(p);
    },
    readFile: (p) => {
      reads.push(p);
      return nodeFileHost.readFile(p);
    },
    realPath: (p) => nodeFileHost.realPath?.(p),
  };
}

function check(
  text: string,
  configPath: string,
  policy: FileAccessPolicy | undefined,
  host?: FileHost,
) {
  const languageService = service(host);
  languageService.setFileAccess(policy);
  const doc = textDocument(text, pathToFileURL(configPath).href);
  return { findings: languageService.validate(doc), languageService, doc };
}

const withPaths = (catalog: string): string =>
  withProperties(
    VALID_CONFIG,
    `"marketoFields": ${JSON.stringify(catalog)},\n  "simulation": { "profiles": "./samples/p.csv", "leads": "../../leads.json" },`,
  );

test('Restricted Mode: one information finding on each path, and nothing is read', () => {
  const ws = workspace();
  const host = recordingHost();
  const text = withPaths('./marketo/describe2.json');
  const { findings, languageService, doc } = check(
    text,
    ws.config,
    { trusted: false, workspaceFolders: [ws.root] },
    host,
  );
  const own = findingsOf(findings, 'untrusted-workspace-file');
  assert.deepEqual(
    own.map((f) => [textAt(text, f.range), f.severity]),
    [
      ['"./marketo/describe2.json"', 'information'],
      ['"./samples/p.csv"', 'information'],
      ['"../../leads.json"', 'information'],
    ],
  );
  assert.match(own[0]?.message ?? '', /not trusted \(Restricted Mode\).*Trust the workspace/);
  assert.deepEqual(findingsOf(findings, 'path-outside-workspace'), []);
  assert.deepEqual(findingsOf(findings, 'marketo-fields-unreadable'), []);
  assert.deepEqual(host.reads, [], 'no file the config names was touched');
  // Completion and hover still answer, from the standard fields.
  const hover = languageService.hover(doc, doc.positionAt(text.indexOf('./marketo') + 2));
  assert.match(hover?.contents.value ?? '', /is not read: the workspace is not trusted/);
});

test('trusted: a path inside the workspace is read and draws no finding', () => {
  const ws = workspace();
  const text = withProperties(VALID_CONFIG, '"marketoFields": "./marketo/describe2.json",');
  const { findings, languageService, doc } = check(text, ws.config, {
    trusted: true,
    workspaceFolders: [ws.root],
  });
  assert.deepEqual(findingsOf(findings, 'path-outside-workspace'), []);
  assert.deepEqual(findingsOf(findings, 'untrusted-workspace-file'), []);
  assert.equal(languageService.catalog(languageService.parse(doc)).status, 'loaded');
});

test('trusted: a path above the workspace is a warning naming where it resolves, and is not read', () => {
  const ws = workspace();
  const host = recordingHost();
  const relative = path.relative(ws.root, ws.outside);
  const text = withProperties(VALID_CONFIG, `"marketoFields": ${JSON.stringify(relative)},`);
  const { findings } = check(text, ws.config, { trusted: true, workspaceFolders: [ws.root] }, host);
  const own = findingsOf(findings, 'path-outside-workspace');
  assert.equal(own.length, 1);
  assert.equal(textAt(text, own[0]!.range), JSON.stringify(relative));
  assert.equal(own[0]?.severity, 'warning');
  assert.ok(
    own[0]?.message.includes(
      `resolves to ${ws.outside}, outside the workspace folder (${ws.root})`,
    ),
    own[0]?.message,
  );
  assert.ok(!host.reads.includes(ws.outside), 'the outside file was not read');
});

test('an absolute path such as /etc/passwd is outside too', () => {
  const ws = workspace();
  const text = withProperties(VALID_CONFIG, '"marketoPartitions": "/etc/passwd",');
  const { findings } = check(text, ws.config, { trusted: true, workspaceFolders: [ws.root] });
  assert.equal(findingsOf(findings, 'path-outside-workspace').length, 1);
  assert.deepEqual(findingsOf(findings, 'marketo-partitions-unreadable'), []);
});

test('a symbolic link inside the workspace that leads out of it is outside', (t) => {
  const ws = workspace();
  const link = path.join(ws.root, 'marketo', 'linked.json');
  try {
    fs.symlinkSync(ws.outside, link);
  } catch {
    t.skip('symbolic links are not available here');
    return;
  }
  const text = withProperties(VALID_CONFIG, '"marketoFields": "./marketo/linked.json",');
  const { findings } = check(text, ws.config, { trusted: true, workspaceFolders: [ws.root] });
  assert.equal(findingsOf(findings, 'path-outside-workspace').length, 1);
});

test('with no workspace folder, the config may read beside itself but not above', () => {
  const ws = workspace();
  const inside = withProperties(VALID_CONFIG, '"marketoFields": "./marketo/describe2.json",');
  assert.deepEqual(
    findingsOf(
      check(inside, ws.config, { trusted: true, workspaceFolders: [] }).findings,
      'path-outside-workspace',
    ),
    [],
  );
  const above = withProperties(VALID_CONFIG, '"marketoFields": "../elsewhere/describe2.json",');
  assert.equal(
    findingsOf(
      check(above, ws.config, { trusted: true, workspaceFolders: [] }).findings,
      'path-outside-workspace',
    ).length,
    1,
  );
});

test('the CLI (no policy) reads what it is pointed at and reports neither rule', () => {
  const ws = workspace();
  const text = withProperties(VALID_CONFIG, '"marketoFields": "../elsewhere/describe2.json",');
  const { findings, languageService, doc } = check(text, ws.config, undefined);
  assert.deepEqual(findingsOf(findings, 'path-outside-workspace'), []);
  assert.deepEqual(findingsOf(findings, 'untrusted-workspace-file'), []);
  assert.equal(languageService.catalog(languageService.parse(doc)).status, 'loaded');
});

test('path completion lists a folder only where the config may read', () => {
  const ws = workspace();
  const complete = (typed: string, policy: FileAccessPolicy | undefined): string[] => {
    const text = withProperties(VALID_CONFIG, `"marketoFields": "${typed}",`);
    const languageService = service();
    languageService.setFileAccess(policy);
    const doc = textDocument(text, pathToFileURL(ws.config).href);
    const offset = text.indexOf(`"${typed}"`) + 1 + typed.length;
    return languageService.complete(doc, doc.positionAt(offset)).items.map((item) => item.label);
  };
  const trusted = { trusted: true, workspaceFolders: [ws.root] };
  assert.deepEqual(complete('./', trusted), ['marketo/']);
  assert.deepEqual(complete('../', trusted), [], 'the parent of the workspace is not listed');
  assert.deepEqual(complete('./', { trusted: false, workspaceFolders: [ws.root] }), []);
  assert.deepEqual(complete('../', undefined), ['elsewhere/', 'repo/'], 'the CLI has no policy');
});
