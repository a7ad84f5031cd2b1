// The Flow Service plan panel with hostile values: names, ids, notes and sources from a flow or
// a config that hold markup, a javascript: URL, a right-to-left override and a 1 MB string.
// No HTML parser is among the devDependencies, so the document is read with the tag pattern
// of resultsHtml.test.ts: every "<" must start a tag of the template, and the tags must be
// exactly those of the same plan with harmless values.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FlowPlan } from '../../common/flowServiceTypes';
import {
  LIMITS,
  type PlanView,
  parsePlanMessage,
  planTitle,
  renderPlanHtml,
} from '../../client/src/flowService/planHtml';
import { escapeHtml } from '../../client/src/simulation/resultsHtml';
import { clip, neutraliseBidi, shownValue } from '../../client/src/webviewText';
import { formatPlan } from '../../server/src/flowService/planText';
import { TAG, htmlTags } from '../htmlTags';

const SCRIPT = '<script>alert(1)</script>';
const ATTRIBUTE = '"><img src=x onerror=alert(1)>';
const JS_URL = 'javascript:alert(1)';
const RLO = '\u202E';
/** Shown with the override, "invoice_RLO_fdp.exe" would read "invoice_exe.pdf". */
const REVERSED = `invoice_${RLO}fdp.exe`;
const HUGE = 'A'.repeat(1024 * 1024);
const HOSTILE = [SCRIPT, ATTRIBUTE, JS_URL, REVERSED];
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const NONCE = 'n0nce+/AbC==';
const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const SCRIPT_URI = 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/planView.js';
const STYLE_URI = 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/planView.css';

/** A plan of every kind of line, each value built by `value(n)`. */
function planWith(value: (n: number) => string): FlowPlan {
  return {
    ifMatch: `"${value(1)}"`,
    patch: [
      { op: 'replace', path: '/name', value: value(2) },
      { op: 'add', path: '/transformations/0/params/segmentSelectors/selectors/-', value: {} },
      { op: 'remove', path: '/transformations/0/params/segmentSelectors/selectors/1' },
      { op: 'add', path: '/transformations/0/params/profileSelectors/selectors/-', value: {} },
    ],
    summary: {
      flowId: value(3),
      flowName: value(4),
      audiencesAdded: 1,
      audiencesRemoved: 1,
      mappingsAdded: 1,
      mappingsRemoved: 0,
      nameChanged: true,
      descriptionChanged: true,
      unchanged: false,
      notes: [value(5), `param syncType differs: ${value(6)}`, value(7)],
    },
    changes: [
      { kind: 'nameChanged', from: value(8), to: value(9) },
      { kind: 'descriptionChanged', from: undefined, to: value(10) },
      { kind: 'audienceAdded', id: value(11), name: value(12) },
      { kind: 'audienceRemoved', id: value(13), name: value(14), index: 1 },
      { kind: 'mappingAdded', source: value(15), target: value(16) },
      {
        kind: 'profileFieldsChanged',
        field: 'mandatoryFields',
        from: [value(17)],
        to: [{ identityNamespace: value(18) }, { attributePath: value(19) }],
      },
    ],
  };
}

function viewWith(value: (n: number) => string, canApply = true): PlanView {
  const plan = planWith(value);
  return {
    configName: value(20),
    configPath: `/work/${value(21)}/x.destination.json`,
    flowSource: value(22),
    plan,
    text: formatPlan(plan),
    canApply,
  };
}

/** Every hostile value in turn, and the 1 MB one among them (a name, a note, an id). */
const hostile = (n: number): string =>
  n % 7 === 0 ? `${HUGE}${HOSTILE[n % 4]}` : `${HOSTILE[n % 4]} ${HOSTILE[(n + 1) % 4]}`;
const harmless = (n: number): string => `value ${n}`;

function render(view: PlanView): string {
  return renderPlanHtml(view, {
    nonce: NONCE,
    cspSource: CSP_SOURCE,
    scriptUri: SCRIPT_URI,
    styleUri: STYLE_URI,
  });
}

const tags = htmlTags;

/** The document's text outside tags. */
function textOutsideTags(html: string): string {
  return html.replace(/^<!DOCTYPE html>/, '').replace(TAG, '');
}

/** The shape of the document: tag names and attribute names, without any value. */
function shape(html: string): string[] {
  return tags(html).map(
    (tag) => `${tag.closing ? '/' : ''}${tag.name}[${[...tag.attributes.keys()].join(',')}]`,
  );
}

describe('renderPlanHtml with hostile names, ids, notes and sources', () => {
  const view = viewWith(hostile);
  const html = render(view);

  test('the hostile values are in the plan text the panel renders', () => {
    for (const value of HOSTILE) assert.ok(view.text.includes(value), value);
    assert.ok(view.text.includes(HUGE));
  });

  test('the document has exactly the elements and attributes of the same plan with harmless values', () => {
    assert.deepEqual(shape(html), shape(render(viewWith(harmless))));
  });

  test('every "<" and ">" starts or ends a tag of the template; no raw quote in the text', () => {
    const text = textOutsideTags(html);
    assert.equal(text.includes('<'), false, 'no "<" outside tags');
    assert.equal(text.includes('>'), false, 'no ">" outside tags');
    assert.equal(text.includes('"'), false, 'no raw " outside tags');
    const names = new Set(tags(html).map((tag) => tag.name));
    assert.deepEqual([...names].sort(), [
      'bdi',
      'body',
      'button',
      'dd',
      'div',
      'dl',
      'dt',
      'h1',
      'head',
      'header',
      'html',
      'link',
      'main',
      'meta',
      'script',
      'span',
      'title',
    ]);
    assert.equal(/<img/i.test(html), false);
    assert.equal((html.match(/<script/gi) ?? []).length, 1);
  });

  test('no on… handler, style or URL attribute comes from a value', () => {
    for (const tag of tags(html)) {
      for (const [name, value] of tag.attributes) {
        assert.equal(name.startsWith('on'), false, tag.source.slice(0, 200));
        assert.notEqual(name, 'style', tag.source.slice(0, 200));
        // A tooltip shows a javascript: URL as text; no other attribute holds one.
        if (name !== 'title') assert.equal(/javascript:/i.test(value), false, `${name}="${value}"`);
      }
    }
    const urls = tags(html).flatMap((tag) =>
      ['href', 'src', 'action', 'formaction', 'srcdoc'].flatMap((name) => {
        const value = tag.attributes.get(name);
        return value === undefined ? [] : [`${tag.name} ${name}=${value}`];
      }),
    );
    assert.deepEqual(urls, [`link href=${STYLE_URI}`, `script src=${SCRIPT_URI}`]);
  });

  test('values are HTML-escaped, in the text and in the tooltips', () => {
    assert.ok(html.includes(escapeHtml(SCRIPT)), 'the script tag, as text');
    assert.ok(html.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'), 'the attribute');
    assert.ok(html.includes(JS_URL), 'the javascript: URL, as text');
    const tooltips = tags(html).filter((tag) => tag.attributes.has('title'));
    assert.equal(tooltips.length, 3, 'config, flow, If-Match');
    for (const tag of tooltips) {
      assert.equal(/[<>"]/.test(tag.attributes.get('title')!), false, tag.source.slice(0, 200));
    }
  });

  test('a strict Content-Security-Policy: nothing by default, only the nonced script', () => {
    const meta = tags(html).filter(
      (tag) => tag.attributes.get('http-equiv')?.toLowerCase() === 'content-security-policy',
    );
    assert.equal(meta.length, 1);
    const directives = new Map(
      meta[0]!.attributes
        .get('content')!
        .split(';')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => {
          const [name, ...sources] = d.split(/\s+/);
          return [name!, sources] as const;
        }),
    );
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), [`'nonce-${NONCE}'`]);
    assert.deepEqual(directives.get('style-src'), [CSP_SOURCE]);
    for (const [name, sources] of directives) {
      for (const source of sources) {
        assert.equal(/unsafe-|^\*$|^https?:$|^data:$/.test(source) && name !== 'img-src', false);
        assert.equal(source.includes('unsafe'), false, `${name} ${source}`);
      }
    }
    const script = tags(html).find((tag) => tag.name === 'script' && !tag.closing)!;
    assert.equal(script.attributes.get('nonce'), NONCE);
    assert.equal(script.attributes.get('src'), SCRIPT_URI);
  });

  test('a 1 MB value is cut, says how much is left out, and the stylesheet wraps the rest', () => {
    assert.ok(html.length < 200_000, `${html.length} characters`);
    assert.equal(html.includes('A'.repeat(LIMITS.line + 1)), false);
    assert.match(html, /… \([\d,]+ more characters\)/);
    // The header shows at most LIMITS.header of a value; its tooltip LIMITS.tooltip.
    const long = render({ ...viewWith(harmless), configName: HUGE, configPath: HUGE });
    assert.equal(long.includes('A'.repeat(LIMITS.tooltip + 1)), false);
    const h1 = /<h1>[\s\S]*?<\/h1>/.exec(long)![0];
    assert.ok(h1.length < LIMITS.header + 200, `h1 of ${h1.length} characters`);
    const css = stylesheet();
    assert.match(rule(css, '.value'), /overflow-wrap:\s*anywhere/);
    assert.match(rule(css, '.line'), /overflow-wrap:\s*anywhere/);
    assert.match(rule(css, 'h1'), /overflow-wrap:\s*anywhere/);
    assert.match(rule(css, '.inputs dd'), /text-overflow:\s*ellipsis/);
  });

  test('a right-to-left override is shown as its code point, inside an isolated element', () => {
    assert.equal(BIDI_CONTROLS.test(html), false, 'no bidirectional control in the document');
    assert.ok(html.includes('invoice_⟨U+202E⟩fdp.exe'));
    // Each value is in a `.value` element (or <bdi>), which the stylesheet isolates.
    const holders = tags(html).filter(
      (tag) => !tag.closing && /\bvalue\b/.test(tag.attributes.get('class') ?? ''),
    );
    const lines = planLinesOf(view.text).filter((line) => line !== '').length;
    assert.equal(holders.length, lines + 4, 'every non-empty line, the h1 name and three fields');
    assert.ok(holders.some((tag) => tag.name === 'bdi'));
    assert.match(rule(stylesheet(), '.value'), /unicode-bidi:\s*isolate/);
    // Without the `.value` elements (which hold text only), the tooltips and the document's
    // <title> (never shown in the panel), no value is left.
    const rest = html
      .replace(/<title>[^<]*<\/title>/, '')
      .replace(/<(\w+)[^>]*\bclass="[^"]*\bvalue\b[^"]*"[^>]*>[^<]*<\/\1>/g, '')
      .replace(/\stitle="[^"]*"/g, '');
    for (const trace of ['⟨U+202E⟩', 'invoice_', 'alert(1)', 'AAAA']) {
      assert.equal(rest.includes(trace), false, `${trace} outside a .value element`);
    }
  });

  test('the panel title is cut and has no bidirectional control', () => {
    const title = planTitle(`${REVERSED}${HUGE}`);
    assert.equal(BIDI_CONTROLS.test(title), false);
    assert.ok(title.startsWith('Plan: invoice_⟨U+202E⟩fdp.exe'));
    assert.ok(title.length < 200);
  });

  test('a nonce or resource URI with quotes cannot break out of its attribute', () => {
    const out = renderPlanHtml(view, {
      nonce: `x" onload="alert(1)`,
      cspSource: ATTRIBUTE,
      scriptUri: `"><img>`,
      styleUri: `'><img>`,
    });
    assert.equal(/<img/i.test(out), false);
    for (const tag of tags(out)) {
      for (const name of tag.attributes.keys()) assert.equal(name.startsWith('on'), false);
    }
  });

  test('the page script only ever posts the two messages; anything else is dropped', () => {
    assert.deepEqual(parsePlanMessage({ type: 'apply', flowId: SCRIPT }), { type: 'apply' });
    assert.deepEqual(parsePlanMessage({ type: 'openPatch' }), { type: 'openPatch' });
    for (const bad of [null, 'apply', [], {}, { type: 'eval' }, { type: JS_URL }]) {
      assert.equal(parsePlanMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('webviewText', () => {
  test('neutraliseBidi shows every embedding, override, isolate and mark as its code point', () => {
    const controls = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C';
    const shown = neutraliseBidi(`a${controls}b`);
    assert.equal(BIDI_CONTROLS.test(shown), false);
    assert.equal(shown.match(/⟨U\+[0-9A-F]{4}⟩/g)?.length, 12);
    assert.equal(neutraliseBidi('שלום عالم'), 'שלום عالم', 'right-to-left letters are kept');
  });

  test('clip cuts long values, never inside a surrogate pair', () => {
    assert.equal(clip('short', 10), 'short');
    assert.equal(clip('abcdef', 3), 'abc… (3 more characters)');
    assert.equal(clip('ab😀c', 3), 'ab… (3 more characters)');
    assert.equal(clip(HUGE, 5), 'AAAAA… (1,048,571 more characters)');
    assert.equal(shownValue(`${RLO}${HUGE}`, 2), '⟨U+202E⟩A… (1,048,575 more characters)');
  });
});

function planLinesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function stylesheet(): string {
  return readFileSync(
    path.join(__dirname, '..', '..', 'client', 'webview', 'planView.css'),
    'utf8',
  );
}

/** The declarations of the rule whose selector list includes `selector` exactly. */
function rule(css: string, selector: string): string {
  const withoutComments = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const match of withoutComments.matchAll(/([^{}]+)\{([^}]*)\}/g)) {
    const selectors = match[1]!.split(',').map((s) => s.trim());
    if (selectors.includes(selector)) return match[2]!;
  }
  assert.fail(`no rule for ${selector}`);
}
