// The examples of the rule pages run: in the `## Example` section of docs/rules/<code>.md, the
// first ```jsonc block (before the line that starts with "Corrected") is a config the rule reports,
// and every block after that line is a config it accepts. Each block is validated with the real
// language service, as a file saved at CONFIG_PATH in an otherwise empty folder. Only the page's
// own rule counts: a partial config also draws `schema` and other findings.
//
// A block that cannot run as written carries directives: HTML comments (invisible on the rendered
// page) on the lines just before its fence, one per line, each `<!-- example: <directive> -->`:
//
//   not run — <reason>
//       The block is not validated (the test is reported as skipped with the reason). The reason
//       says why and where the behaviour is tested instead.
//   catalog <repo-relative path>
//       The file the block's "marketoFields" names holds that file (a fixture catalog).
//   partitions <repo-relative path>
//       The same for the file the block's "marketoPartitions" names (a partitions.json answer).
//   mappings <repo-relative path>
//       The same for the shared mappings file the block's "mappings" names.
//   workspace trusted | workspace restricted
//       The block is validated as the editor does in a workspace whose one folder holds the config
//       (trusted), or in Restricted Mode; without it, as the CLI does (every file is read).
//   expand "<text>" for n = <from>..<to> to <template>
//       The block's one line containing <text> (a JSON string) stands for elided lines: it is
//       replaced, at its indentation, by <template> once for each n, with {n} replaced by n.
//   beside <file name>
//       The block is not an example of its own but another config, saved as <file name> in the
//       example's folder: the example blocks after it are validated with it, the rules across
//       files (workspaceValidation.ts) running over the folder, until a later block beside the
//       same name takes its place. Only the example's own file's findings count.
//
// Any other `<!-- example:` comment, or one that is not just before a block, fails the test.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'jsonc-parser';
import { ALL_RULES } from '../../server/src/rules/ruleTable';
import type { Finding } from '../../server/src/engine/types';
import { validateAcross } from '../../server/src/services/workspaceValidation';
import {
  DOCS_BASE,
  REPO_ROOT,
  codes,
  memoryHost,
  service,
  textDocument,
  validate,
} from '../helpers';

const DOCS = join(REPO_ROOT, 'docs', 'rules');
// The files come from an in-memory host holding only what directives supply, so an example never
// depends on the machine's disk; saved (not untitled), so relative catalog paths resolve.
const CONFIG_PATH = resolve('/rule-doc-example/example.destination.json');
const CONFIG_DIR = resolve(CONFIG_PATH, '..');

type Directive =
  | { kind: 'not run'; reason: string }
  | { kind: 'catalog'; file: string }
  | { kind: 'partitions'; file: string }
  | { kind: 'mappings'; file: string }
  | { kind: 'workspace'; trusted: boolean }
  | { kind: 'beside'; file: string }
  | { kind: 'expand'; text: string; from: number; to: number; template: string };

interface Block {
  /** 1-based line of the opening fence in the page. */
  line: number;
  /** "before": the rule fires on it; "after": it does not. */
  role: 'before' | 'after';
  text: string;
  directives: Directive[];
  /** The other configs of its folder (`beside` blocks before it), file name → text. */
  besides: Map<string, string>;
}

const MARKER = /^<!--\s*example:\s*(.*?)\s*-->$/;

function parseDirective(body: string): Directive | string {
  const notRun = /^not run\s+—\s*(.*)$/.exec(body);
  if (notRun) {
    const reason = (notRun[1] ?? '').trim();
    return reason ? { kind: 'not run', reason } : '"not run" needs a reason after the dash';
  }
  const catalog = /^catalog\s+(\S+)$/.exec(body);
  if (catalog) return { kind: 'catalog', file: catalog[1] ?? '' };
  const partitions = /^partitions\s+(\S+)$/.exec(body);
  if (partitions) return { kind: 'partitions', file: partitions[1] ?? '' };
  const mappings = /^mappings\s+(\S+)$/.exec(body);
  if (mappings) return { kind: 'mappings', file: mappings[1] ?? '' };
  const workspace = /^workspace\s+(trusted|restricted)$/.exec(body);
  if (workspace) return { kind: 'workspace', trusted: workspace[1] === 'trusted' };
  const beside = /^beside\s+([\w.-]+)$/.exec(body);
  if (beside) return { kind: 'beside', file: beside[1] ?? '' };
  const expand = /^expand\s+("(?:[^"\\]|\\.)*")\s+for n = (\d+)\.\.(\d+)\s+to\s+(.+)$/.exec(body);
  if (expand) {
    const from = Number(expand[2]);
    const to = Number(expand[3]);
    if (from > to) return `"expand" counts up: ${from}..${to}`;
    return {
      kind: 'expand',
      text: JSON.parse(expand[1] ?? '""') as string,
      from,
      to,
      template: expand[4] ?? '',
    };
  }
  return `unknown directive "${body}"`;
}

/** The example blocks of a page, and what is wrong with its example markup. */
function exampleBlocks(page: string): { blocks: Block[]; problems: string[] } {
  const lines = page.replace(/\r\n/g, '\n').split('\n');
  const start = lines.indexOf('## Example');
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  const blocks: Block[] = [];
  const problems: string[] = [];
  if (start < 0) return { blocks, problems: ['no "## Example" section'] };
  let role: Block['role'] = 'before';
  const besides = new Map<string, string>();
  let pending: Directive[] = [];
  let pendingLine = 0;
  for (let i = start + 1; i < (end < 0 ? lines.length : end); i++) {
    const line = lines[i] ?? '';
    const marker = MARKER.exec(line.trim());
    if (marker) {
      const directive = parseDirective(marker[1] ?? '');
      if (typeof directive === 'string') problems.push(`line ${i + 1}: ${directive}`);
      else pending.push(directive);
      pendingLine ||= i + 1;
      continue;
    }
    if (line.trim().startsWith('<!-- example')) {
      problems.push(`line ${i + 1}: a marker is one line, "<!-- example: … -->"`);
      continue;
    }
    if (line.startsWith('```')) {
      const close = lines.indexOf('```', i + 1);
      if (close < 0) {
        problems.push(`line ${i + 1}: the block is not closed`);
        break;
      }
      const beside = pending.find((d) => d.kind === 'beside');
      if (line === '```jsonc' && beside) {
        if (pending.length > 1) problems.push(`line ${pendingLine}: "beside" stands alone`);
        besides.set(beside.file, lines.slice(i + 1, close).join('\n'));
      } else if (line === '```jsonc') {
        blocks.push({
          line: i + 1,
          role,
          text: lines.slice(i + 1, close).join('\n'),
          directives: pending,
          besides: new Map(besides),
        });
      } else if (pending.length) {
        problems.push(`line ${pendingLine}: markers stand before a \`\`\`jsonc block`);
      }
      pending = [];
      pendingLine = 0;
      i = close;
      continue;
    }
    if (pending.length) {
      problems.push(`line ${pendingLine}: a marker stands on the line just before its block`);
      pending = [];
      pendingLine = 0;
    }
    if (line.startsWith('Corrected')) role = 'after';
  }
  if (pending.length) problems.push(`line ${pendingLine}: a marker with no block after it`);
  // A marker elsewhere on the page would be silently ignored.
  const outside = lines.filter(
    (line, i) => (i < start || (end >= 0 && i >= end)) && line.includes('<!-- example'),
  );
  if (outside.length) problems.push(`${outside.length} marker(s) outside "## Example"`);
  const before = blocks.filter((b) => b.role === 'before').length;
  if (before !== 1) problems.push(`${before} "before" blocks (before "Corrected"), expected 1`);
  if (!blocks.some((b) => b.role === 'after'))
    problems.push('no "after" block (after "Corrected")');
  return { blocks, problems };
}

/** The block as the directives complete it, and the files it names. */
function runnable(block: Block): { text: string; files: Record<string, string> } {
  let text = block.text;
  for (const d of block.directives) {
    if (d.kind !== 'expand') continue;
    const lines = text.split('\n');
    const at = lines.filter((line) => line.includes(d.text));
    assert.equal(at.length, 1, `expand: ${JSON.stringify(d.text)} is on one line of the block`);
    const indent = /^\s*/.exec(at[0] ?? '')?.[0] ?? '';
    const expanded: string[] = [];
    for (let n = d.from; n <= d.to; n++)
      expanded.push(indent + d.template.replaceAll('{n}', `${n}`));
    text = lines.map((line) => (line.includes(d.text) ? expanded.join('\n') : line)).join('\n');
  }
  const files: Record<string, string> = {};
  for (const d of block.directives) {
    if (d.kind !== 'catalog' && d.kind !== 'partitions' && d.kind !== 'mappings') continue;
    const property = {
      catalog: 'marketoFields',
      partitions: 'marketoPartitions',
      mappings: 'mappings',
    }[d.kind];
    const named = (parse(text) as Record<string, unknown> | undefined)?.[property];
    assert.equal(typeof named, 'string', `${d.kind}: the block names its file in "${property}"`);
    files[resolve(CONFIG_DIR, named as string)] = readFileSync(join(REPO_ROOT, d.file), 'utf8');
  }
  return { text, files };
}

/** The cross-file findings of the example's own file, in a folder with its `beside` configs. */
function acrossFiles(text: string, besides: ReadonlyMap<string, string>): Finding[] {
  if (!besides.size) return [];
  const languageService = service();
  const own = pathToFileURL(CONFIG_PATH).href;
  const configs = [
    languageService.summarize(textDocument(text, own)),
    ...[...besides].map(([name, other]) =>
      languageService.summarize(textDocument(other, pathToFileURL(join(CONFIG_DIR, name)).href)),
    ),
  ].filter((summary) => summary !== undefined);
  return validateAcross(configs, { docsBaseUri: DOCS_BASE }).get(own) ?? [];
}

for (const rule of ALL_RULES) {
  const page = `docs/rules/${rule.code}.md`;
  const { blocks, problems } = exampleBlocks(readFileSync(join(DOCS, `${rule.code}.md`), 'utf8'));

  describe(`${page} examples`, () => {
    test('has one "before" and at least one "after" block, with well-formed markers', () => {
      assert.deepEqual(problems, []);
    });

    for (const block of blocks) {
      const notRun = block.directives.find((d) => d.kind === 'not run');
      const name =
        block.role === 'before'
          ? `${rule.code} fires on the example at line ${block.line}`
          : `${rule.code} does not fire on the corrected example at line ${block.line}`;
      test(name, notRun ? { skip: `not run: ${notRun.reason}` } : {}, () => {
        const { text, files } = runnable(block);
        const workspace = block.directives.find((d) => d.kind === 'workspace');
        const fileAccess = workspace
          ? { trusted: workspace.trusted, workspaceFolders: [CONFIG_DIR] }
          : undefined;
        const findings = [
          ...validate(text, {
            uri: pathToFileURL(CONFIG_PATH).href,
            fileHost: memoryHost(files),
            ...(fileAccess ? { fileAccess } : {}),
          }),
          ...acrossFiles(text, block.besides),
        ];
        const own = findings.filter((f) => f.code === rule.code);
        if (block.role === 'before') {
          const others = [...new Set(codes(findings))].join(', ') || 'nothing';
          assert.ok(
            own.length > 0,
            `${page}:${block.line}: ${rule.code} is silent; found ${others}`,
          );
        } else {
          assert.deepEqual(
            own.map((f) => `line ${f.range.start.line + 1} of the block: ${f.message}`),
            [],
            `${page}:${block.line}: ${rule.code} fires on the corrected example`,
          );
        }
      });
    }
  });
}
