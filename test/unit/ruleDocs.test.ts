// Every rule in the rule table has a documentation page in docs/rules/ (diagnostics link to
// `docs/rules/<code>.md`), with the fixed set of sections, and the index lists exactly the rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALL_RULES } from '../../server/src/rules/ruleTable';

const DOCS = resolve(__dirname, '..', '..', 'docs', 'rules');
const INDEX = 'README.md';
const SECTIONS = ['What it checks', 'Why it matters', 'How to fix', 'Example', 'Source'];
const CODES = new Set(ALL_RULES.map((rule) => rule.code));

function page(code: string): string {
  return readFileSync(join(DOCS, `${code}.md`), 'utf8').replace(/\r\n/g, '\n');
}

/** The body of a `## <name>` section, up to the next `## ` heading. */
function section(text: string, name: string): string {
  const start = text.indexOf(`\n## ${name}\n`);
  if (start < 0) return '';
  const body = text.slice(start + name.length + 5);
  const next = body.search(/^## /m);
  return next < 0 ? body : body.slice(0, next);
}

test('the rule table has unique codes', () => {
  assert.equal(CODES.size, ALL_RULES.length);
});

for (const rule of ALL_RULES) {
  test(`docs/rules/${rule.code}.md documents the rule`, () => {
    assert.ok(existsSync(join(DOCS, `${rule.code}.md`)), `missing docs/rules/${rule.code}.md`);
    const text = page(rule.code);
    const lines = text.split('\n');
    assert.equal(lines[0], `# ${rule.code}`, 'the first line is the heading "# <code>"');

    const severity = lines.find((line) => line.startsWith('Severity:'));
    assert.equal(severity, `Severity: **${rule.severity}**`, 'the Severity line matches the rule');

    const intro = text.slice(0, text.indexOf('\n## '));
    const summary = intro
      .split('\n')
      .slice(1)
      .filter((line) => line.trim() && !line.startsWith('Severity:'));
    assert.ok(summary.length > 0, 'a one-sentence summary follows the Severity line');

    const headings = lines.filter((line) => line.startsWith('## '));
    assert.deepEqual(
      headings,
      SECTIONS.map((name) => `## ${name}`),
      'the sections, in order',
    );
    for (const name of SECTIONS) {
      assert.ok(section(text, name).trim().length > 0, `the "${name}" section is not empty`);
    }

    assert.match(section(text, 'Example'), /```jsonc\n/, 'the example has a JSONC snippet');
    assert.match(
      section(text, 'Source'),
      /seeds\/|domain\.md/,
      'the source cites a seed or domain.md',
    );
    if (rule.fix) {
      assert.match(section(text, 'How to fix'), /quick fix/i, 'the page names the quick fix');
    }
  });
}

test('the index lists every rule once, with its severity, title and quick-fix flag', () => {
  const lines = readFileSync(join(DOCS, INDEX), 'utf8').split(/\r?\n/);
  // The index is the table whose header starts with "| Code |"; other tables are not rule rows.
  const header = lines.findIndex((line) => /^\|\s*Code\s*\|/.test(line));
  assert.ok(header >= 0, 'the index has a table with a "Code" column');
  const end = lines.findIndex((line, i) => i > header && !line.startsWith('|'));
  const rows = lines.slice(header + 2, end < 0 ? undefined : end).map((line) =>
    line
      .slice(1, line.lastIndexOf('|'))
      .split('|')
      .map((cell) => cell.trim()),
  );
  const listed = rows.map((cells) => (cells[0] ?? '').replace(/`/g, ''));
  assert.deepEqual(
    listed.filter((code) => !CODES.has(code)),
    [],
    'the index lists no unknown code',
  );
  assert.deepEqual(
    [...CODES].filter((code) => !listed.includes(code)),
    [],
    'the index lists every code',
  );
  assert.equal(new Set(listed).size, listed.length, 'the index lists each code once');
  for (const rule of ALL_RULES) {
    const cells = rows.find((row) => row[0] === `\`${rule.code}\``) as string[];
    assert.equal(cells[1], rule.severity, `${rule.code}: severity`);
    assert.equal(cells[2], rule.title, `${rule.code}: title`);
    assert.equal(cells[3], rule.fix ? 'yes' : 'no', `${rule.code}: has quick fix`);
    assert.equal(cells[4], `[${rule.code}.md](${rule.code}.md)`, `${rule.code}: link to the page`);
  }
});

test('no page documents a code that is not in the rule table', () => {
  const pages = readdirSync(DOCS)
    .filter((name) => name.endsWith('.md') && name !== INDEX)
    .map((name) => name.slice(0, -'.md'.length));
  assert.deepEqual(
    pages.filter((code) => !CODES.has(code)),
    [],
  );
});
