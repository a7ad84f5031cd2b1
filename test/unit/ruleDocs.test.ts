// Every rule in the rule table has a documentation page in docs/rules/ (diagnostics link to
// `docs/rules/<code>.md`), with the fixed set of sections, and the index lists exactly the rules.
// Each page's Source section cites the lines of the source documents it quotes, and the quotes are
// checked against those lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALL_RULES } from '../../server/src/rules/ruleTable';

const REPO_ROOT = resolve(__dirname, '..', '..');
const DOCS = join(REPO_ROOT, 'docs', 'rules');
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

// --- Source references -------------------------------------------------------------------------
// Issue 9: every page says which line of which source document its rule traces to. A reference is
// `seeds/<file>.txt`, line N / `seeds/<file>.txt`, lines N–M / `domain.md`, line N (en dash or
// hyphen in a range), with the path in backticks; the folder is the one CI checks out beside the
// repository (../shared), so a reference can be checked against the very text it cites.
const SHARED = resolve(REPO_ROOT, '..', 'shared');
const REFERENCE = /`(seeds\/[^`\s]+\.txt|domain\.md)`,\s+(lines?)\s+(\d+)(?:\s*[–-]\s*(\d+))?/g;
const MENTION = /`(seeds\/[^`\s]+\.txt|domain\.md)`/g;

// Rules that nothing in the sources corresponds to: their page says "No seed: …" instead of (or
// besides) citing a line.
const NO_SEED = new Map<string, string>([
  ['internal-error', 'it guards the tool against its own bugs; no source document describes it'],
]);

interface Reference {
  file: string;
  from: number;
  to: number;
  /** "lines" (a range) rather than "line". */
  plural: boolean;
  /** Offset of the reference in the Source section. */
  at: number;
  text: string;
}

const sourceLines = new Map<string, string[]>();
function linesOf(file: string): string[] | undefined {
  if (!sourceLines.has(file)) {
    const path = join(SHARED, file);
    if (!existsSync(path)) return undefined;
    const lines = readFileSync(path, 'utf8').replace(/\r\n/g, '\n').split('\n');
    if (lines.at(-1) === '') lines.pop();
    sourceLines.set(file, lines);
  }
  return sourceLines.get(file);
}

/**
 * What a quote and its source are compared as. A page quotes the words, not the markup, so both
 * sides lose what rendering hides or a quote may drop: Adobe's `[!UICONTROL x]` / `[!DNL x]`
 * wrappers (kept as x), link targets (`[x](url)` is x), the remaining brackets, `*` (bold, italic,
 * list bullets), backticks and zero-width spaces (`&#x200B;`); then runs of white space become one
 * space, so where the seed or the page breaks its lines does not matter. Case, punctuation, `_`
 * (part of names) and table pipes are kept: a quote must still be the source's own words.
 */
function normalise(text: string): string {
  return text
    .replace(/&#x200B;|\u200B/g, '')
    .replace(/\[!(?:UICONTROL|DNL)\s+([^\]]*)\]/g, '$1')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/[[\]*`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether a quote occurs in the source text; "…" elides, so the parts around it occur in order. */
function quoted(quote: string, source: string): boolean {
  let from = 0;
  for (const part of quote.split('…').map(normalise).filter(Boolean)) {
    const at = source.indexOf(part, from);
    if (at < 0) return false;
    from = at + part.length;
  }
  return true;
}

function references(source: string): Reference[] {
  return [...source.matchAll(REFERENCE)].map((match) => {
    const from = Number(match[3]);
    return {
      file: match[1] ?? '',
      from,
      to: match[4] === undefined ? from : Number(match[4]),
      plural: match[2] === 'lines',
      at: match.index,
      text: match[0].replace(/\s+/g, ' '),
    };
  });
}

/** Each `> ` blockquote of the section, with its offset; a `>` line alone separates paragraphs. */
function blockquotes(source: string): { at: number; paragraphs: string[] }[] {
  const quotes: { at: number; paragraphs: string[] }[] = [];
  let offset = 0;
  let current: { at: number; paragraphs: string[] } | undefined;
  for (const line of source.split('\n')) {
    if (line.startsWith('>')) {
      const body = line.replace(/^>\s?/, '');
      if (!current) {
        current = { at: offset, paragraphs: [''] };
        quotes.push(current);
      }
      if (body.trim() === '') current.paragraphs.push('');
      else current.paragraphs[current.paragraphs.length - 1] += `${body}\n`;
    } else {
      current = undefined;
    }
    offset += line.length + 1;
  }
  for (const quote of quotes) quote.paragraphs = quote.paragraphs.filter((p) => p.trim());
  return quotes;
}

test('the source documents are beside the repository', () => {
  assert.ok(existsSync(join(SHARED, 'domain.md')), `missing ${join(SHARED, 'domain.md')}`);
  assert.ok(existsSync(join(SHARED, 'seeds')), `missing ${join(SHARED, 'seeds')}`);
});

test('every rule without a seed is a rule of the table', () => {
  assert.deepEqual(
    [...NO_SEED.keys()].filter((code) => !CODES.has(code)),
    [],
  );
});

for (const rule of ALL_RULES) {
  test(`docs/rules/${rule.code}.md cites source lines that hold its quotes`, () => {
    assert.ok(existsSync(join(DOCS, `${rule.code}.md`)), `missing docs/rules/${rule.code}.md`);
    const source = section(page(rule.code), 'Source');
    const refs = references(source);
    const quotes = blockquotes(source);
    if (NO_SEED.has(rule.code)) {
      assert.match(source, /\bNo seed:/, `says "No seed: …" (${NO_SEED.get(rule.code)})`);
    } else {
      assert.ok(
        refs.length > 0,
        'cites at least one `seeds/<file>.txt`, line N or `domain.md`, line N',
      );
      assert.ok(quotes.length > 0, 'quotes the cited text in a "> " blockquote');
    }

    // A path without a line number is the vague citation this test exists to prevent.
    const starts = new Set(refs.map((ref) => ref.at));
    const bare = [...source.matchAll(MENTION)].filter((match) => !starts.has(match.index));
    assert.deepEqual(
      bare.map((match) => match[0]),
      [],
      'every source path in the Source section is followed by ", line N" or ", lines N–M"',
    );

    for (const ref of refs) {
      const lines = linesOf(ref.file);
      assert.ok(lines, `${ref.text}: no such file in ${SHARED}`);
      assert.ok(
        ref.from >= 1 && ref.from <= ref.to && ref.to <= lines.length,
        `${ref.text}: outside the file's ${lines.length} lines`,
      );
      assert.equal(ref.plural, ref.to > ref.from, `${ref.text}: "line N" or "lines N–M"`);
    }

    // A quoted "*(public docs)*" does not tell the reader that the rule rests on public
    // documentation rather than on a seed; the page's own words must.
    const prose = source
      .split('\n')
      .filter((line) => !line.startsWith('>'))
      .join('\n');
    // A quote belongs to the reference nearest before it, so a page can cite several lines in turn.
    for (const quote of quotes) {
      const ref = refs.filter((candidate) => candidate.at < quote.at).at(-1);
      const first = (quote.paragraphs[0] ?? '').trim().split('\n')[0];
      assert.ok(ref, `the quote "${first}" follows a reference`);
      const lines = linesOf(ref.file) ?? [];
      const cited = normalise(lines.slice(ref.from - 1, ref.to).join('\n'));
      for (const paragraph of quote.paragraphs) {
        assert.ok(
          quoted(paragraph, cited),
          `${ref.text} does not contain the quote "${normalise(paragraph)}"`,
        );
      }
      if (ref.file === 'domain.md' && /\(public docs\)/.test(cited)) {
        assert.match(
          prose,
          /public[- ]docs/,
          `${ref.text} is a public-docs fact; the page says so`,
        );
      }
    }
  });
}
